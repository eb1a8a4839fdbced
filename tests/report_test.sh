#!/bin/sh
# Integration: the sample reports as a reader sees them. The report unit test
# writes diagnostic and QC reports (HTML + PDF, English and Chinese) into a
# temp dir; headless Chromium renders each HTML page (we check the page text
# and that the chart SVGs are in the DOM, and that no injected script became
# an element) and pdftotext extracts each PDF's text (Chinese included).
# Usage: tests/report_test.sh BUILD_DIR
B=${1:-build}
T=$(mktemp -d)
pass=0; fail=0
cleanup() { rm -rf "$T"; }
trap cleanup EXIT INT TERM

: "${OBDGW_DTC_DB:=$(pwd)/$B/dtc.db}"
export OBDGW_DTC_DB

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }

# has NAME FILE TEXT: FILE contains TEXT (fixed string)
has() {
    if grep -qF -- "$3" "$2"; then ok; else bad "$1: lacks '$3'"; fi
}
# hasnt NAME FILE TEXT
hasnt() {
    if grep -qF -- "$3" "$2"; then bad "$1: contains '$3'"; else ok; fi
}

if OBDGW_REPORT_OUT="$T" "$B/tests/test_report" >"$T/unit.log" 2>&1; then ok; else
    bad "test_report (writing the samples)"; tail -20 "$T/unit.log"
    echo "report: $pass passed, $fail failed"
    exit 1
fi

RO=2024-0012
VIN=LFV2A21K6M3012345
for doc in diag-en diag-zh qc-en qc-zh; do
    case $doc in
        *-zh) desc="第1缸检测到失火"; word="故障码" ;;
        *) desc="Cylinder 1 Misfire Detected"; word="Control units" ;;
    esac

    # HTML through a real browser engine
    if [ -s "$T/$doc.html" ] && timeout 90 chromium --headless --no-sandbox --disable-gpu \
        --user-data-dir="$T/chromium" --dump-dom "file://$T/$doc.html" >"$T/$doc.dom" 2>"$T/$doc.chromium.log" \
        && [ -s "$T/$doc.dom" ]; then
        ok
        for text in "$RO" "$VIN" P0301 "$desc" "$word"; do has "$doc.html" "$T/$doc.dom" "$text"; done
        n=$(grep -o '<svg' "$T/$doc.dom" | wc -l)
        if [ "$n" -ge 3 ]; then ok; else bad "$doc.html: $n chart SVGs in the DOM, want 3"; fi
        n=$(grep -o '<polyline' "$T/$doc.dom" | wc -l)
        if [ "$n" -ge 3 ]; then ok; else bad "$doc.html: $n chart lines in the DOM, want 3"; fi
        hasnt "$doc.html" "$T/$doc.dom" "<script"
        hasnt "$doc.html" "$T/$doc.dom" "<img"
        has "$doc.html" "$T/$doc.dom" "&lt;script&gt;alert"
    else
        bad "$doc.html: chromium could not render it"; tail -5 "$T/$doc.chromium.log" 2>/dev/null
    fi

    # PDF text as a PDF reader extracts it
    if [ -s "$T/$doc.pdf" ] && pdftotext -enc UTF-8 "$T/$doc.pdf" "$T/$doc.txt" 2>"$T/$doc.pdftotext.log"; then
        ok
        for text in "$RO" "$VIN" P0301 "$desc"; do has "$doc.pdf" "$T/$doc.txt" "$text"; done
        pages=$(pdfinfo "$T/$doc.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
        if [ "${pages:-0}" -ge 2 ]; then ok; else bad "$doc.pdf: ${pages:-0} pages"; fi
        if pdfinfo "$T/$doc.pdf" 2>/dev/null | grep -q "A4"; then ok; else bad "$doc.pdf: not A4"; fi
    else
        bad "$doc.pdf: pdftotext failed"; cat "$T/$doc.pdftotext.log" 2>/dev/null
    fi
done

# How the car answered (#10, #18): a list that got no answer reads "no
# answer", never "no DTCs"; unreadable bytes and the deviation are named.
if OBDGW_REPORT_OUT="$T" "$B/tests/test_report_obd" >"$T/obd.log" 2>&1; then ok; else
    bad "test_report_obd (writing the samples)"; tail -20 "$T/obd.log"
fi
for doc in obd-answers-en obd-answers-zh; do
    case $doc in
        *-zh) texts="无应答 无法解析：4A 05 01 02 计数字节为 3，实际 2 个故障码 物理寻址 已读取的列表中无故障码"; none="无已确认、待定或永久故障码" ;;
        *) texts=""; none="No DTCs stored, pending or permanent" ;;
    esac
    if [ -s "$T/$doc.html" ] && timeout 90 chromium --headless --no-sandbox --disable-gpu \
        --user-data-dir="$T/chromium" --dump-dom "file://$T/$doc.html" >"$T/$doc.dom" 2>"$T/$doc.chromium.log" \
        && [ -s "$T/$doc.dom" ]; then
        ok
        if [ "$doc" = obd-answers-en ]; then
            for text in "pending: no answer" "unreadable: 4A 05 01 02" "count byte says 3, 2 codes carried" \
                "physical 03 09" "VIN read from" "OBD on UDS (SAE J1979-2)" "No DTCs in the lists that were read."; do
                has "$doc.html" "$T/$doc.dom" "$text"
            done
        else
            for text in $texts; do has "$doc.html" "$T/$doc.dom" "$text"; done
        fi
        hasnt "$doc.html" "$T/$doc.dom" "$none"
    else
        bad "$doc.html: chromium could not render it"; tail -5 "$T/$doc.chromium.log" 2>/dev/null
    fi
    if [ -s "$T/$doc.pdf" ] && pdftotext -enc UTF-8 "$T/$doc.pdf" "$T/$doc.txt" 2>/dev/null; then
        ok
        case $doc in
            *-zh) has "$doc.pdf" "$T/$doc.txt" "无应答" ;;
            *) has "$doc.pdf" "$T/$doc.txt" "no answer" ;;
        esac
        has "$doc.pdf" "$T/$doc.txt" "4A 05 01 02"
        hasnt "$doc.pdf" "$T/$doc.txt" "$none"
    else
        bad "$doc.pdf: pdftotext failed"
    fi
done

# The Chinese documents speak workshop Chinese.
for t in 车辆诊断报告 维修工单 冻结帧 就绪状态 增项 建议后续措施; do has diag-zh.pdf "$T/diag-zh.txt" "$t"; done
for t in 质检 合格（待完成驾驶循环） 维修前后对比 签字确认; do
    has qc-zh.html "$T/qc-zh.dom" "$t"
    has qc-zh.pdf "$T/qc-zh.txt" "$t"
done
has qc-en.pdf "$T/qc-en.txt" "PASS - drive cycle pending"

echo "report: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
