/*
 * vin_wmi.c — World Manufacturer Identifiers (VIN positions 1-3) of the makers
 * a dealership workshop meets, in China and worldwide, with the name in
 * English and in the Chinese the workshop uses. Data only, plus the lookup.
 *
 * Rules for this table:
 *   - one row per three-character WMI, sorted by WMI in byte order (digits
 *     before letters): obd_vin_wmi_find() searches it by bisection and
 *     tests/unit/test_vin.c checks the order;
 *   - only WMIs we could confirm; a WMI we were not sure of is left out
 *     (decoding then says "unknown" rather than a wrong maker);
 *   - joint ventures are named as the joint venture (e.g. FAW-Volkswagen),
 *     because that is who the workshop deals with for parts and warranty.
 * The country is not stored here: it follows from the first two characters
 * (see vin.c).
 */
#include <string.h>

#include "obdgw/vin.h"

static const obd_vin_wmi_t wmi_table[] = {
    /* 1: United States */
    { "19U", "Acura", "讴歌" },
    { "19X", "Honda", "本田" },
    { "1C3", "Chrysler (FCA US)", "克莱斯勒（FCA 美国）" },
    { "1C4", "FCA US (Jeep, Dodge, Chrysler)", "FCA 美国（Jeep、道奇、克莱斯勒）" },
    { "1C6", "Ram (FCA US)", "Ram（FCA 美国）" },
    { "1FA", "Ford", "福特" },
    { "1FD", "Ford (trucks)", "福特（货车）" },
    { "1FM", "Ford (SUV/MPV)", "福特（SUV/MPV）" },
    { "1FT", "Ford (trucks)", "福特（货车）" },
    { "1FU", "Freightliner", "福莱纳" },
    { "1FV", "Freightliner", "福莱纳" },
    { "1G1", "Chevrolet", "雪佛兰" },
    { "1G4", "Buick", "别克" },
    { "1G6", "Cadillac", "凯迪拉克" },
    { "1GC", "Chevrolet (trucks)", "雪佛兰（货车）" },
    { "1GK", "GMC", "GMC" },
    { "1GN", "Chevrolet (SUV/MPV)", "雪佛兰（SUV/MPV）" },
    { "1GT", "GMC (trucks)", "GMC（货车）" },
    { "1GY", "Cadillac (SUV)", "凯迪拉克（SUV）" },
    { "1HD", "Harley-Davidson", "哈雷-戴维森" },
    { "1HG", "Honda", "本田" },
    { "1J4", "Jeep", "Jeep" },
    { "1LN", "Lincoln", "林肯" },
    { "1N4", "Nissan", "日产" },
    { "1N6", "Nissan (trucks)", "日产（皮卡）" },
    { "1VW", "Volkswagen", "大众" },
    { "1XK", "Kenworth", "肯沃斯" },
    { "1XP", "Peterbilt", "彼得比尔特" },
    /* 2: Canada */
    { "2C3", "Chrysler (FCA Canada)", "克莱斯勒（FCA 加拿大）" },
    { "2C4", "Chrysler (FCA Canada)", "克莱斯勒（FCA 加拿大）" },
    { "2FM", "Ford", "福特" },
    { "2G1", "Chevrolet", "雪佛兰" },
    { "2GN", "Chevrolet", "雪佛兰" },
    { "2HG", "Honda", "本田" },
    { "2HK", "Honda", "本田" },
    { "2HN", "Acura", "讴歌" },
    { "2LM", "Lincoln", "林肯" },
    { "2T1", "Toyota", "丰田" },
    { "2T2", "Lexus", "雷克萨斯" },
    { "2T3", "Toyota", "丰田" },
    /* 3: Mexico */
    { "3C4", "FCA Mexico (Jeep, Dodge, Chrysler)", "FCA 墨西哥（Jeep、道奇、克莱斯勒）" },
    { "3C6", "Ram (FCA Mexico)", "Ram（FCA 墨西哥）" },
    { "3FA", "Ford", "福特" },
    { "3G1", "Chevrolet", "雪佛兰" },
    { "3GN", "Chevrolet", "雪佛兰" },
    { "3KP", "Kia", "起亚" },
    { "3LN", "Lincoln", "林肯" },
    { "3MZ", "Mazda", "马自达" },
    { "3N1", "Nissan", "日产" },
    { "3TM", "Toyota", "丰田" },
    { "3VV", "Volkswagen", "大众" },
    { "3VW", "Volkswagen", "大众" },
    /* 4: United States */
    { "4JG", "Mercedes-Benz", "梅赛德斯-奔驰" },
    { "4S3", "Subaru", "斯巴鲁" },
    { "4S4", "Subaru", "斯巴鲁" },
    { "4T1", "Toyota", "丰田" },
    { "4T3", "Toyota", "丰田" },
    { "4US", "BMW", "宝马" },
    { "4V4", "Volvo Trucks", "沃尔沃卡车" },
    /* 5: United States */
    { "55S", "Mercedes-Benz", "梅赛德斯-奔驰" },
    { "58A", "Lexus", "雷克萨斯" },
    { "5FN", "Honda", "本田" },
    { "5J6", "Honda", "本田" },
    { "5J8", "Acura", "讴歌" },
    { "5LM", "Lincoln", "林肯" },
    { "5N1", "Nissan", "日产" },
    { "5NM", "Hyundai", "现代" },
    { "5NP", "Hyundai", "现代" },
    { "5TD", "Toyota", "丰田" },
    { "5TF", "Toyota (trucks)", "丰田（皮卡）" },
    { "5UX", "BMW", "宝马" },
    { "5XX", "Kia", "起亚" },
    { "5XY", "Kia", "起亚" },
    { "5YF", "Toyota", "丰田" },
    { "5YJ", "Tesla", "特斯拉" },
    { "5YM", "BMW M", "宝马 M" },
    /* 6: Australia */
    { "6FP", "Ford Australia", "福特（澳大利亚）" },
    { "6G1", "Holden", "霍顿" },
    { "6MM", "Mitsubishi", "三菱" },
    { "6T1", "Toyota", "丰田" },
    /* 7F-70: United States */
    { "7FA", "Honda", "本田" },
    { "7JR", "Volvo Cars", "沃尔沃汽车" },
    { "7PD", "Rivian", "Rivian" },
    { "7SA", "Tesla", "特斯拉" },
    /* 8: Argentina */
    { "8A1", "Renault", "雷诺" },
    { "8AD", "Peugeot", "标致" },
    { "8AF", "Ford", "福特" },
    { "8AG", "Chevrolet (GM)", "雪佛兰（通用）" },
    { "8AJ", "Toyota", "丰田" },
    { "8AP", "Fiat", "菲亚特" },
    { "8AW", "Volkswagen", "大众" },
    { "8BC", "Citroën", "雪铁龙" },
    /* 9: Brazil */
    { "935", "Citroën", "雪铁龙" },
    { "936", "Peugeot", "标致" },
    { "93H", "Honda", "本田" },
    { "93Y", "Renault", "雷诺" },
    { "94D", "Nissan", "日产" },
    { "9BD", "Fiat", "菲亚特" },
    { "9BF", "Ford", "福特" },
    { "9BG", "Chevrolet (GM)", "雪佛兰（通用）" },
    { "9BH", "Hyundai", "现代" },
    { "9BM", "Mercedes-Benz", "梅赛德斯-奔驰" },
    { "9BR", "Toyota", "丰田" },
    { "9BW", "Volkswagen", "大众" },
    /* A: South Africa */
    { "AAV", "Volkswagen", "大众" },
    { "AFA", "Ford", "福特" },
    { "AHT", "Toyota", "丰田" },
    /* J: Japan */
    { "JA3", "Mitsubishi", "三菱" },
    { "JA4", "Mitsubishi", "三菱" },
    { "JAL", "Isuzu", "五十铃" },
    { "JDA", "Daihatsu", "大发" },
    { "JF1", "Subaru", "斯巴鲁" },
    { "JF2", "Subaru", "斯巴鲁" },
    { "JH2", "Honda (motorcycles)", "本田（摩托车）" },
    { "JH4", "Acura", "讴歌" },
    { "JHL", "Honda", "本田" },
    { "JHM", "Honda", "本田" },
    { "JKA", "Kawasaki (motorcycles)", "川崎（摩托车）" },
    { "JM1", "Mazda", "马自达" },
    { "JM3", "Mazda", "马自达" },
    { "JMB", "Mitsubishi", "三菱" },
    { "JMZ", "Mazda", "马自达" },
    { "JN1", "Nissan", "日产" },
    { "JN8", "Nissan", "日产" },
    { "JNK", "Infiniti", "英菲尼迪" },
    { "JNR", "Infiniti", "英菲尼迪" },
    { "JS1", "Suzuki (motorcycles)", "铃木（摩托车）" },
    { "JS2", "Suzuki", "铃木" },
    { "JS3", "Suzuki", "铃木" },
    { "JT2", "Toyota", "丰田" },
    { "JT3", "Toyota", "丰田" },
    { "JT6", "Lexus", "雷克萨斯" },
    { "JTD", "Toyota", "丰田" },
    { "JTE", "Toyota", "丰田" },
    { "JTH", "Lexus", "雷克萨斯" },
    { "JTJ", "Lexus", "雷克萨斯" },
    { "JTM", "Toyota", "丰田" },
    { "JTN", "Toyota", "丰田" },
    { "JYA", "Yamaha (motorcycles)", "雅马哈（摩托车）" },
    /* K: South Korea */
    { "KL1", "Chevrolet (GM Korea)", "雪佛兰（通用韩国）" },
    { "KL4", "Buick (GM Korea)", "别克（通用韩国）" },
    { "KL7", "Chevrolet (GM Korea)", "雪佛兰（通用韩国）" },
    { "KL8", "Chevrolet (GM Korea)", "雪佛兰（通用韩国）" },
    { "KM8", "Hyundai", "现代" },
    { "KMH", "Hyundai", "现代" },
    { "KMT", "Genesis", "捷尼赛思" },
    { "KNA", "Kia", "起亚" },
    { "KNC", "Kia", "起亚" },
    { "KND", "Kia", "起亚" },
    { "KNE", "Kia", "起亚" },
    { "KNM", "Renault Samsung", "雷诺三星" },
    { "KPA", "SsangYong", "双龙" },
    { "KPT", "SsangYong", "双龙" },
    /* L: China */
    { "L2C", "Chery Jaguar Land Rover", "奇瑞捷豹路虎" },
    { "L6T", "Geely", "吉利汽车" },
    { "LA6", "King Long (Xiamen)", "厦门金龙" },
    { "LB3", "Geely", "吉利汽车" },
    { "LBE", "Beijing Hyundai", "北京现代" },
    { "LBV", "BMW Brilliance", "华晨宝马" },
    { "LC0", "BYD", "比亚迪" },
    { "LDC", "Dongfeng Peugeot-Citroën", "神龙汽车（东风标致雪铁龙）" },
    { "LDY", "Zhongtong Bus", "中通客车" },
    { "LE4", "Beijing Benz", "北京奔驰" },
    { "LFM", "FAW Toyota", "一汽丰田" },
    { "LFP", "FAW Car (Hongqi, Bestune)", "一汽轿车（红旗、奔腾）" },
    { "LFV", "FAW-Volkswagen", "一汽-大众" },
    { "LGB", "Dongfeng Nissan", "东风日产" },
    { "LGH", "Dongfeng Motor", "东风汽车" },
    { "LGJ", "Dongfeng Fengshen", "东风风神" },
    { "LGW", "Great Wall Motor", "长城汽车" },
    { "LGX", "BYD", "比亚迪" },
    { "LH1", "FAW Haima", "一汽海马" },
    { "LHG", "GAC Honda", "广汽本田" },
    { "LJ1", "JAC", "江淮汽车" },
    { "LJD", "Dongfeng Yueda Kia", "东风悦达起亚" },
    { "LKL", "Suzhou King Long (Higer)", "苏州金龙（海格）" },
    { "LLV", "Lifan", "力帆" },
    { "LMG", "GAC Motor (Trumpchi, Aion)", "广汽乘用车（传祺、埃安）" },
    { "LPA", "Changan PSA (DS)", "长安标致雪铁龙（DS）" },
    { "LPS", "Polestar", "极星" },
    { "LRB", "SAIC-GM (Buick)", "上汽通用（别克）" },
    { "LRW", "Tesla (Shanghai)", "特斯拉（上海）" },
    { "LS5", "Changan Automobile", "长安汽车" },
    { "LSG", "SAIC-GM", "上汽通用" },
    { "LSJ", "SAIC Motor (MG, Roewe)", "上汽乘用车（名爵、荣威）" },
    { "LSV", "SAIC Volkswagen", "上汽大众" },
    { "LSY", "Brilliance (Zhonghua, Jinbei)", "华晨（中华、金杯）" },
    { "LTV", "FAW Toyota (Tianjin)", "天津一汽丰田" },
    { "LUC", "Honda Automobile (China)", "本田汽车（中国）" },
    { "LVG", "GAC Toyota", "广汽丰田" },
    { "LVH", "Dongfeng Honda", "东风本田" },
    { "LVR", "Changan Mazda", "长安马自达" },
    { "LVS", "Changan Ford", "长安福特" },
    { "LVV", "Chery", "奇瑞汽车" },
    { "LVY", "Volvo Cars (China)", "沃尔沃汽车（中国）" },
    { "LWV", "GAC Fiat Chrysler", "广汽菲克" },
    { "LYV", "Volvo Cars (China)", "沃尔沃汽车（中国）" },
    { "LZE", "Isuzu (Guangzhou)", "五十铃（广州）" },
    { "LZG", "Shaanxi Automobile", "陕汽" },
    { "LZW", "SAIC-GM-Wuling", "上汽通用五菱" },
    { "LZY", "Yutong", "宇通客车" },
    /* M: India, Indonesia, Thailand */
    { "MA1", "Mahindra", "马恒达" },
    { "MA3", "Maruti Suzuki", "马鲁蒂铃木" },
    { "MAJ", "Ford", "福特" },
    { "MAL", "Hyundai", "现代" },
    { "MAT", "Tata Motors", "塔塔汽车" },
    { "MBJ", "Toyota", "丰田" },
    { "MHF", "Toyota", "丰田" },
    { "MHR", "Honda", "本田" },
    { "MMB", "Mitsubishi", "三菱" },
    { "MMT", "Mitsubishi", "三菱" },
    { "MNB", "Ford", "福特" },
    { "MNT", "Nissan", "日产" },
    { "MPA", "Isuzu", "五十铃" },
    { "MR0", "Toyota", "丰田" },
    { "MRH", "Honda", "本田" },
    /* N: Turkey */
    { "NLH", "Hyundai", "现代" },
    { "NM0", "Ford Otosan", "福特奥托桑" },
    { "NMT", "Toyota", "丰田" },
    /* P: Malaysia */
    { "PL1", "Proton", "宝腾" },
    /* S: United Kingdom */
    { "SAD", "Jaguar", "捷豹" },
    { "SAJ", "Jaguar", "捷豹" },
    { "SAL", "Land Rover", "路虎" },
    { "SB1", "Toyota", "丰田" },
    { "SBM", "McLaren", "迈凯伦" },
    { "SCA", "Rolls-Royce", "劳斯莱斯" },
    { "SCB", "Bentley", "宾利" },
    { "SCC", "Lotus", "路特斯" },
    { "SCF", "Aston Martin", "阿斯顿·马丁" },
    { "SHH", "Honda", "本田" },
    { "SHS", "Honda", "本田" },
    { "SJN", "Nissan", "日产" },
    { "SMT", "Triumph (motorcycles)", "凯旋（摩托车）" },
    /* T: Czech Republic, Hungary */
    { "TMA", "Hyundai", "现代" },
    { "TMB", "Škoda", "斯柯达" },
    { "TRU", "Audi", "奥迪" },
    { "TSM", "Suzuki", "铃木" },
    /* U: Slovakia, Romania */
    { "U5Y", "Kia", "起亚" },
    { "U6Y", "Kia", "起亚" },
    { "UU1", "Dacia", "达契亚" },
    /* V: France, Spain, Austria */
    { "VBK", "KTM", "KTM" },
    { "VF1", "Renault", "雷诺" },
    { "VF3", "Peugeot", "标致" },
    { "VF7", "Citroën", "雪铁龙" },
    { "VNK", "Toyota", "丰田" },
    { "VR1", "DS Automobiles", "DS" },
    { "VS6", "Ford", "福特" },
    { "VS7", "Citroën", "雪铁龙" },
    { "VSK", "Nissan", "日产" },
    { "VSS", "SEAT", "西雅特" },
    { "VSX", "Opel", "欧宝" },
    { "VWV", "Volkswagen", "大众" },
    /* W: Germany */
    { "W0L", "Opel / Vauxhall", "欧宝 / 沃克斯豪尔" },
    { "W0V", "Opel / Vauxhall", "欧宝 / 沃克斯豪尔" },
    { "W1K", "Mercedes-Benz", "梅赛德斯-奔驰" },
    { "W1N", "Mercedes-Benz", "梅赛德斯-奔驰" },
    { "W1V", "Mercedes-Benz (vans)", "梅赛德斯-奔驰（厢式车）" },
    { "WA1", "Audi", "奥迪" },
    { "WAU", "Audi", "奥迪" },
    { "WB1", "BMW (motorcycles)", "宝马（摩托车）" },
    { "WBA", "BMW", "宝马" },
    { "WBS", "BMW M", "宝马 M" },
    { "WBX", "BMW", "宝马" },
    { "WBY", "BMW i", "宝马 i" },
    { "WDB", "Mercedes-Benz", "梅赛德斯-奔驰" },
    { "WDC", "Mercedes-Benz", "梅赛德斯-奔驰" },
    { "WDD", "Mercedes-Benz", "梅赛德斯-奔驰" },
    { "WDF", "Mercedes-Benz (vans)", "梅赛德斯-奔驰（厢式车）" },
    { "WEB", "EvoBus", "EvoBus" },
    { "WF0", "Ford (Europe)", "福特（欧洲）" },
    { "WMA", "MAN Truck & Bus", "曼恩商用车" },
    { "WME", "smart", "smart" },
    { "WMW", "MINI", "MINI" },
    { "WP0", "Porsche", "保时捷" },
    { "WP1", "Porsche", "保时捷" },
    { "WUA", "Audi Sport", "奥迪运动" },
    { "WV1", "Volkswagen Commercial Vehicles", "大众商用车" },
    { "WV2", "Volkswagen Commercial Vehicles", "大众商用车" },
    { "WVG", "Volkswagen", "大众" },
    { "WVW", "Volkswagen", "大众" },
    /* X: Netherlands, Russia */
    { "XLR", "DAF Trucks", "达夫卡车" },
    { "XTA", "Lada (AvtoVAZ)", "拉达（伏尔加汽车厂）" },
    /* Y: Sweden */
    { "YS2", "Scania", "斯堪尼亚" },
    { "YS3", "Saab", "萨博" },
    { "YV1", "Volvo Cars", "沃尔沃汽车" },
    { "YV2", "Volvo Trucks", "沃尔沃卡车" },
    { "YV3", "Volvo Buses", "沃尔沃客车" },
    { "YV4", "Volvo Cars", "沃尔沃汽车" },
    /* Z: Italy */
    { "ZAM", "Maserati", "玛莎拉蒂" },
    { "ZAR", "Alfa Romeo", "阿尔法·罗密欧" },
    { "ZCF", "Iveco", "依维柯" },
    { "ZDM", "Ducati (motorcycles)", "杜卡迪（摩托车）" },
    { "ZFA", "Fiat", "菲亚特" },
    { "ZFF", "Ferrari", "法拉利" },
    { "ZHW", "Lamborghini", "兰博基尼" },
    { "ZLA", "Lancia", "蓝旗亚" },
};

#define WMI_COUNT (sizeof wmi_table / sizeof wmi_table[0])

const obd_vin_wmi_t *obd_vin_wmi_find(const char *wmi)
{
    if (!wmi)
        return NULL;
    char key[4];
    for (int i = 0; i < 3; i++) {
        if (!wmi[i])
            return NULL; /* shorter than a WMI */
        key[i] = wmi[i];
    }
    key[3] = '\0';
    size_t lo = 0, hi = WMI_COUNT;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(key, wmi_table[mid].wmi, 3);
        if (c == 0)
            return &wmi_table[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const obd_vin_wmi_t *obd_vin_wmi_table(size_t *count)
{
    if (count)
        *count = WMI_COUNT;
    return wmi_table;
}
