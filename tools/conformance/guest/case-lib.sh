# Shell functions of the conformance cases (/lib/gvnic/case-lib.sh in the guest; cases source it).
# A case reports each check as one line the host reads:
#   CHECK <name> PASS|FAIL|SKIP <detail>
# and the host's run script turns them into the case's result. Parameters come from the kernel command
# line as gvnic_<name>=<value> (the host's run script puts them there): param NAME [DEFAULT].

ROUTER=10.128.0.1
FAILED=0

param() {
    v="$(tr ' ' '\n' < /proc/cmdline | sed -n "s/^gvnic_$1=//p" | tail -1)"
    echo "${v:-$2}"
}

pass() { echo "CHECK $1 PASS ${2:-}"; }
skip() { echo "CHECK $1 SKIP ${2:-}"; }
fail() { echo "CHECK $1 FAIL ${2:-}"; FAILED=$((FAILED + 1)); }

# The network interface a PCI driver (gve's is "gvnic" in 6.1, "gve" later) has bound, or nothing.
gve_netdev() {
    for n in /sys/class/net/*; do
        d="$(readlink "$n/device/driver" 2>/dev/null)" || continue
        case "$(basename "$d")" in gve|gvnic) basename "$n"; return 0 ;; esac
    done
    return 0
}

# The PCI address of the gVNIC (1ae0:0042), or nothing.
gvnic_pci() {
    for d in /sys/bus/pci/devices/*; do
        [ "$(cat "$d/vendor"):$(cat "$d/device")" = "0x1ae0:0x0042" ] && { basename "$d"; return 0; }
    done
    return 0
}

# The name of gve's PCI driver in this kernel (gvnic in 6.1, gve later).
gve_pci_driver() {
    ls /sys/module/gve/drivers 2>/dev/null | sed -n 's/^pci://p' | head -1
}

# wait_for SECONDS COMMAND...: runs COMMAND every 0.2 s until it succeeds or SECONDS pass.
wait_for() {
    n=$(( $1 * 5 )); shift
    while [ "$n" -gt 0 ]; do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.2
        n=$((n - 1))
    done
    return 1
}

carrier_up() { [ "$(cat "/sys/class/net/$1/carrier" 2>/dev/null)" = 1 ]; }

# dhcp DEV: a lease from the responder (udhcpc applies address, route and MTU); prints the address.
dhcp() {
    udhcpc -i "$1" -n -q -t 6 -T 2 >/tmp/udhcpc.log 2>&1 || { cat /tmp/udhcpc.log; return 1; }
    grep GVNIC-DHCP /tmp/udhcpc.log
    ip -4 addr show "$1" | sed -n 's/.*inet \([0-9.]*\).*/\1/p'
}

# pings COUNT SIZE: echo requests of SIZE data bytes to the router until COUNT replies came, each sent as
# soon as the last reply came (or after 1 s without one); prints "sent received"; fails unless COUNT
# replies came with at most 1% of the requests unanswered (under TCG a reply can take longer than 1 s).
pings() {
    out="$(ping -c "$1" -s "$2" -A -W 2 -q "$ROUTER" 2>&1)"
    line="$(echo "$out" | grep 'packets transmitted')"
    tx="$(echo "$line" | sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p')"
    rx="$(echo "$line" | sed -n 's/.* \([0-9]*\) packets received.*/\1/p')"
    echo "${tx:-0} ${rx:-0}"
    [ -n "$tx" ] && [ "${rx:-0}" -ge "$1" ] && [ "$tx" -le $(( $1 + $1 / 100 )) ]
}

# udp_echo COUNT SIZE: COUNT datagrams of SIZE bytes to the responder's UDP echo port, 8 in flight (the
# checksums offloaded to the device both ways); prints udp-echo's counts; fails unless all came back intact.
udp_echo() {
    udp-echo "$ROUTER" 7 "$1" "$2" 8
}

# traffic DEV NAME: the traffic check: pings of three sizes (small, mid, the largest the MTU carries) and
# UDP echo of two sizes, each frame both ways; one CHECK line with the counts.
traffic() {
    mtu="$(cat "/sys/class/net/$1/mtu")"
    big=$((mtu - 28))
    n="$(param pings 1000)"; d="$(param datagrams 1000)"
    a="$(pings "$n" 56)"; ra=$?
    b="$(pings "$n" 700)"; rb=$?
    c="$(pings "$n" "$big")"; rc=$?
    u="$(udp_echo "$d" 200)"; ru=$?
    v="$(udp_echo "$d" "$big")"; rv=$?
    detail="ping56=[$a] ping700=[$b] ping$big=[$c] udp200=[$u] udp$big=[$v]"
    if [ "$ra$rb$rc$ru$rv" = 00000 ]; then pass "$2" "$detail"; else fail "$2" "$detail"; fi
}

# gve's lines in the kernel log: those with its PCI driver's name (dev_err: "gvnic 0000:00:01.0: ...", "gve ...") and
# those with only the interface's (net_err_ratelimited: "eth0: Invalid RX buffer_id=...", "eth0: Out of QPL pages").
GVE_LINES='gve|gvnic|\] eth[0-9]+: '

# driver_errors NAME: a check that the kernel logged no error of gve's (an admin command the device
# refused, a timeout, a failed teardown step) since boot.
driver_errors() {
    dmesg | grep -E "$GVE_LINES" | grep -iE 'fail|error|timed out|unable|could not|cannot|invalid' > /tmp/gve-errors.log
    if [ -s /tmp/gve-errors.log ]; then
        fail "$1" "$(wc -l < /tmp/gve-errors.log) lines: $(head -3 /tmp/gve-errors.log | sed 's/^\[[^]]*\] //' | tr '\n' '|')"
    else
        pass "$1" "no error in gve's log"
    fi
}

# kernel_warnings NAME: a check that the kernel printed no WARNING (a WARN_ON that fired: the DMA API's, gve's own)
# since boot; the detail names the first one and the first gve function in its call trace. (The console shows
# only levels below 4, so these are in dmesg alone.)
kernel_warnings() {
    n="$(dmesg | grep -c 'WARNING: ')"
    if [ "$n" -gt 0 ]; then
        first="$(dmesg | grep -m1 'WARNING: ' | sed 's/^\[[^]]*\] //; s/^WARNING: CPU: [0-9]* PID: [0-9]* //')"
        caller="$(dmesg | grep -m1 -A40 'WARNING: ' | grep -m1 -oE '(gve|gvnic)_[a-z_0-9.]*\+0x[0-9a-f]+/0x[0-9a-f]+' || true)"
        fail "$1" "$n kernel WARNINGs; the first $first${caller:+, called from $caller}"
    else
        pass "$1" "no kernel WARNING"
    fi
}

# queue_counts DEV: "tx rx" queues in use, from ethtool -l.
queue_counts() {
    ethtool -l "$1" 2>/dev/null | awk '/Current hardware settings/ {c=1} c && /^RX:/ {rx=$2} c && /^TX:/ {tx=$2} END {print tx+0, rx+0}'
}

# The kernel's log lines of gve since the last call, as CASE lines (for the record).
DMESG_SEEN=0
gve_log() {
    dmesg | grep -E "$GVE_LINES" > /tmp/gve.log
    total="$(wc -l < /tmp/gve.log)"
    sed -n "$((DMESG_SEEN + 1)),\$p" /tmp/gve.log | sed 's/^/CASE dmesg /'
    DMESG_SEEN="$total"
}
