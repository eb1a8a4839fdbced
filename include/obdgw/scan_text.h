/*
 * scan_text.h — how a scan says how it answered, in words (en + zh), for
 * every consumer of obd_scan_t: the scan JSON, `obdgw scan`, the store's
 * loader, the reports and the QC verdict.
 *
 * The session stores its notes (obd_scan_t.notes) and deviations
 * (obd_dtc_set_t.deviation) in English. The texts below are the sentences it
 * uses: obd_scan_note_text() and obd_deviation_text() translate those (with
 * their %s parts carried over) and show any other text in English, marked
 * as such in Chinese. Keep the session's snprintf formats and these tables
 * the same sentences (the macros exist for that).
 *
 * Pure: no I/O, no allocation.
 */
#ifndef OBDGW_SCAN_TEXT_H
#define OBDGW_SCAN_TEXT_H

#include "obdgw/session.h"

/* ---- deviations (obd_dtc_set_t.deviation; each %s is a number or a list) ---- */
#define OBD_DEV_COUNT_MISMATCH "count byte says %s, %s codes carried"
#define OBD_DEV_LEGACY_ON_CAN "legacy layout on CAN (no count byte)"
#define OBD_DEV_TRAILING "%s trailing bytes ignored"
#define OBD_DEV_HALF_CODE "half a code at the end (%s byte) not decoded"
#define OBD_DEV_NO_HEADERS "replies without headers: single ECU assumed"
#define OBD_DEV_UNREADABLE_SHORT "reply too short (%s bytes)"
#define OBD_DEV_UNREADABLE_SID "unexpected service byte %s"
#define OBD_DEV_PENDING_NO_FINAL "response pending (7F %s 78), no final answer"
#define OBD_DEV_ADAPTER_REFUSED "the adapter refused the request ('?'): no ECU was asked"

/* ---- scan notes (obd_scan_t.notes) ---- */
#define OBD_NOTE_COUNT_DIGIT_REFUSED "the adapter refused or misread the response-count digit: dropped for this session"
#define OBD_NOTE_COUNT_DIGIT_MISREAD \
    "the response-count digit gave NO DATA where PID 01 reports codes: dropped for this session"
#define OBD_NOTE_AT_REFUSED "the adapter refused %s: carried on without it"
#define OBD_NOTE_PROTOCOL_ZERO "the adapter's protocol search reported protocol 0: tried explicit protocols"
#define OBD_NOTE_NO_HEADERS "the adapter's replies had no headers: single-ECU result"
#define OBD_NOTE_NO_ATSH "the adapter refused ATSH: physical requests sent functionally, replies picked by header"
#define OBD_NOTE_PHYSICAL_ONLY "ECU %s answered only when addressed physically"
#define OBD_NOTE_VIN_UNLISTED "09 00 did not list 09 02: asked 09 02 anyway"
#define OBD_NOTE_VIN_UDS "no VIN from service 09: asked UDS 22 F190"
#define OBD_NOTE_VIN_CHECK "the VIN's check digit does not match: kept as read"
#define OBD_NOTE_OBD_ON_UDS "classic 01 00 unanswered, 22 F400 answered: read through OBD on UDS (SAE J1979-2)"
#define OBD_NOTE_SILENT_PID "PID %s is listed in 01 00 but never answered"
#define OBD_NOTE_SERVICE_REFUSED "the adapter refused service %s ('?'): recorded as not supported"

/* The state of a DTC list: `state` when the session set it, else derived
 * from read/unsupported/nrc (scans saved before the states existed): not
 * read -> NO_ANSWER, unsupported -> UNSUPPORTED, nrc -> REFUSED, else OK. */
obd_read_state_t obd_dtc_set_state(const obd_dtc_set_t *s);

/* A state in words: "no answer" / "无应答", "unreadable" / "无法解析", ... */
const char *obd_read_state_name(obd_read_state_t s, obd_lang_t lang);
/* How a service answered: "functional" / "功能寻址", "physical" / "物理寻址",
 * "NRC" / "否定应答", "none" / "无应答", "not asked" / "未询问". */
const char *obd_addressing_name(obd_addressing_t a, obd_lang_t lang);
/* Where the VIN came from: "09 02", "09 02, not listed in 09 00" / "09 02（09 00 未列出）",
 * "UDS 22 F190", "OBD on UDS 22 F802" / "UDS 上的 OBD 22 F802", "none" / "无". */
const char *obd_vin_source_name(obd_vin_source_t v, obd_lang_t lang);
/* "classic" / "obd_on_uds" (JSON), "OBD on UDS (SAE J1979-2)" / "UDS 上的 OBD（SAE J1979-2）". */
const char *obd_protocol_kind_key(obd_protocol_kind_t p);
const char *obd_protocol_kind_name(obd_protocol_kind_t p, obd_lang_t lang);

/* The kept bytes of an unreadable reply as hex, "47 14 01" with `spaced`,
 * "471401" without, "…" (or "...") appended when rawlen > what was kept. */
char *obd_read_raw_text(const obd_dtc_set_t *s, bool spaced, char *out, size_t cap);

/* A note / deviation in `lang`: the English text as given, or its Chinese
 * sentence when it is one of the texts above; an unknown text in Chinese is
 * "（英文）" + the English. Returns out. */
const char *obd_scan_note_text(const char *en, obd_lang_t lang, char *out, size_t cap);
const char *obd_deviation_text(const char *en, obd_lang_t lang, char *out, size_t cap);

/* One DTC list's state in a line, the way the CLI and the reports show it:
 *   "ok", "no codes" is NOT said here (callers print the codes);
 *   "ok (count byte says 20, 18 codes carried)" / "已读取（计数字节为 20，实际 18 个故障码）";
 *   "unreadable: 47 14 01 …" / "无法解析：47 14 01 …"; "no answer" / "无应答";
 *   "not supported" / "不支持"; "refused (NRC 0x22)" / "拒绝（NRC 0x22）". */
const char *obd_dtc_set_state_text(const obd_dtc_set_t *s, obd_lang_t lang, char *out, size_t cap);

/* Where the VIN came from and how it was asked, for the VIN line:
 * "09 02, physical" / "09 02，物理寻址", "UDS 22 F190"; "" when the scan
 * does not say (no VIN, or a scan saved before the source was kept). */
const char *obd_scan_vin_source_text(const obd_scan_t *s, obd_lang_t lang, char *out, size_t cap);

/* Did some ECU answer PID 01 (status_known, or an ECU with readiness: the
 * same fact, also for scans filled by code that predates the flag)? When
 * false, MIL and DTC count are unknown: null in JSON, "unknown" in text. */
bool obd_scan_status_known(const obd_scan_t *s);

/* The scan's MIL in words: "ON · 2 confirmed emission DTC(s)", "off · 0 ...",
 * or "unknown (no ECU answered PID 01)" / "未知（没有控制单元应答 PID 01）". */
const char *obd_scan_mil_text(const obd_scan_t *s, obd_lang_t lang, char *out, size_t cap);

/* The services an ECU answered only when asked physically after its functional
 * request got nothing (fallback_svcs), "03 07 0A" ("" when none). */
const char *obd_ecu_physical_services(const obd_ecu_scan_t *e, char *out, size_t cap);

#endif
