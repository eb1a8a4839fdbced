/*
 * utf8_json.c — repair the strings of a cJSON tree to valid UTF-8 before it
 * is printed (text stored by an older obdgw, before input was validated).
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "obdgw/utf8.h"

size_t obd_json_repair_utf8(struct cJSON *root)
{
    size_t fixed = 0;
    for (cJSON *it = root; it; it = it->next) {
        if (it->string && !obd_utf8_valid(it->string, strlen(it->string), NULL)) {
            size_t cap = strlen(it->string) * 3 + 1;
            char *r = malloc(cap);
            if (r) {
                obd_utf8_repair(it->string, r, cap);
                if (!(it->type & cJSON_StringIsConst))
                    cJSON_free(it->string);
                it->string = r; /* allocated like cJSON's own keys (malloc hooks unchanged) */
                it->type &= ~cJSON_StringIsConst;
                fixed++;
            }
        }
        if (cJSON_IsString(it) && it->valuestring &&
            !obd_utf8_valid(it->valuestring, strlen(it->valuestring), NULL)) {
            size_t cap = strlen(it->valuestring) * 3 + 1;
            char *r = malloc(cap);
            if (r) {
                obd_utf8_repair(it->valuestring, r, cap);
                cJSON_free(it->valuestring);
                it->valuestring = r;
                fixed++;
            }
        }
        if (it->child)
            fixed += obd_json_repair_utf8(it->child);
    }
    return fixed;
}
