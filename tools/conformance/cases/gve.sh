# case: gve
# Linux's gve drives the device model served by gvnic serve: probe, link, DHCP, ping, traffic, then
# upstream's reset paths: queue-count change, ethtool reset, link down/up, MTU change, ring-size change,
# unbind/rebind, and the module's removal (after which the host checks the model holds nothing).
# Parameters (kernel command line): gvnic_format (the format the device offers, as gve should report
# it), gvnic_queues (the queues the device offers), gvnic_pings, gvnic_datagrams.
. /lib/gvnic/case-lib.sh
set +e   # every check reports itself; the case fails at the end if one did
format="$(param format)"
queues="$(param queues 1)"
echo "CASE kernel $(cat /etc/gvnic-kernel) format=$format queues=$queues cpus=$(nproc)"
modprobe gve
pci="$(gvnic_pci)"
[ -n "$pci" ] || { fail probe "no gVNIC on the bus"; exit 1; }
wait_for 10 test -n "$(gve_netdev)" || true
dev="$(gve_netdev)"
gve_log
if [ -z "$dev" ]; then fail probe "gve bound no network interface to $pci"; exit 1; fi
# gve prints "GVE queue format N" with its enum gve_queue_format (1 GQI RDA, 2 GQI QPL, 3 DQO RDA, 4 DQO QPL).
case "$format" in gqi-rda) n=1 ;; gqi-qpl) n=2 ;; dqo-rda) n=3 ;; dqo-qpl) n=4 ;; *) n="" ;; esac
if grep -q "GVE queue format $n\$" /tmp/gve.log; then
    pass probe "$dev on $pci, queue format $n ($format)"
else
    fail probe "$dev on $pci, but gve did not report queue format $n ($format): $(grep 'queue format' /tmp/gve.log | tail -1)"
fi
driver="$(gve_pci_driver)"

# --- link, DHCP, ping, traffic ---
ip link set "$dev" up
if wait_for 10 carrier_up "$dev"; then pass link "carrier up, mtu $(cat /sys/class/net/$dev/mtu)"; else fail link "no carrier"; fi
lease="$(dhcp "$dev")"
addr="$(echo "$lease" | tail -1)"
if [ "$addr" = 10.128.0.2 ]; then pass dhcp "$(echo "$lease" | head -1 | sed 's/^GVNIC-DHCP //')"; else fail dhcp "no lease: $lease"; fi
if [ "$FAILED" -gt 0 ]; then
    # Everything after this needs a working link: without one each ping would wait out its timeout (hours).
    skip rest "the link or DHCP failed; the reset paths need a working link"
    rmmod gve
    gve_log
    driver_errors driver-log
    exit 1
fi
r="$(pings 20 56)"; if [ $? = 0 ]; then pass ping "$r"; else fail ping "$r"; fi
set -- $(queue_counts "$dev")
if [ "$1 $2" = "$queues $queues" ]; then pass queues "tx=$1 rx=$2"; else fail queues "tx=$1 rx=$2, expected $queues each"; fi
traffic "$dev" traffic

# --- queue count change (gve_adjust_queues: close, reconfigure, open) ---
if [ "$queues" -gt 1 ]; then
    if ethtool -L "$dev" rx 1 tx 1 2>/tmp/err && wait_for 10 carrier_up "$dev" && [ "$(queue_counts "$dev")" = "1 1" ]; then
        traffic "$dev" queues-1
        ethtool -L "$dev" rx "$queues" tx "$queues" 2>/tmp/err && wait_for 10 carrier_up "$dev"
        if [ "$(queue_counts "$dev")" = "$queues $queues" ]; then traffic "$dev" queues-back; else fail queues-back "$(queue_counts "$dev"): $(cat /tmp/err)"; fi
    else
        fail queues-1 "ethtool -L rx 1 tx 1: $(cat /tmp/err) now $(queue_counts "$dev")"
    fi
else
    skip queues-1 "the device offers one queue"
fi

# --- ethtool reset (gve_user_reset: the whole device torn down and brought up) ---
if ethtool --reset "$dev" all >/tmp/err 2>&1 || ethtool --reset "$dev" dedicated >/tmp/err 2>&1; then
    wait_for 10 carrier_up "$dev"
    r="$(pings 50 56)"; if [ $? = 0 ]; then pass reset "ethtool --reset: $r"; else fail reset "after ethtool --reset: $r"; fi
else
    skip reset "ethtool --reset: $(head -1 /tmp/err)"
fi

# --- link down/up (gve_close, gve_open) ---
ip link set "$dev" down
sleep 1
ip link set "$dev" up
ip addr add 10.128.0.2/20 dev "$dev" 2>/dev/null || true
if wait_for 10 carrier_up "$dev"; then
    r="$(pings 100 56)"; if [ $? = 0 ]; then pass down-up "$r"; else fail down-up "$r"; fi
else
    fail down-up "no carrier after ip link set up"
fi

# --- MTU change ---
old_mtu="$(cat /sys/class/net/$dev/mtu)"
if ip link set "$dev" mtu 1400 2>/tmp/err; then
    r="$(pings 100 1372)"; ok=$?
    ip link set "$dev" mtu "$old_mtu"
    r2="$(pings 100 $((old_mtu - 28)))"; ok2=$?
    if [ "$ok$ok2" = 00 ]; then pass mtu "1400: $r; back to $old_mtu: $r2"; else fail mtu "1400: $r; back to $old_mtu: $r2"; fi
else
    fail mtu "ip link set mtu 1400: $(cat /tmp/err)"
fi

# --- ring-size change (ethtool -G; gve has it from Linux 6.9 on) ---
set -- $(ethtool -g "$dev" 2>/dev/null | awk '/Current hardware settings/ {c=1} c && /^RX:/ {rx=$2} c && /^TX:/ {tx=$2} END {print tx+0, rx+0}')
tx_ring=$1 rx_ring=$2
if ethtool -G "$dev" rx $((rx_ring / 2)) tx $((tx_ring / 2)) >/tmp/err 2>&1; then
    wait_for 10 carrier_up "$dev"
    r="$(pings 200 56)"; ok=$?
    ethtool -G "$dev" rx "$rx_ring" tx "$tx_ring" >/dev/null 2>&1
    if [ $ok = 0 ]; then pass ring "tx $tx_ring->$((tx_ring / 2)), rx $rx_ring->$((rx_ring / 2)): $r"; else fail ring "$r"; fi
else
    skip ring "ethtool -G: $(head -1 /tmp/err)"
fi

# --- unbind and rebind (remove and probe) ---
echo "$pci" > "/sys/bus/pci/drivers/$driver/unbind"
if [ -n "$(gve_netdev)" ]; then fail rebind "the interface outlived unbind"; fi
echo "$pci" > "/sys/bus/pci/drivers/$driver/bind"
wait_for 10 test -n "$(gve_netdev)" || true
dev="$(gve_netdev)"
if [ -n "$dev" ]; then
    ip link set "$dev" up
    wait_for 10 carrier_up "$dev"
    lease="$(dhcp "$dev")"
    r="$(pings 100 56)"; if [ $? = 0 ]; then pass rebind "$dev: $r"; else fail rebind "$dev: $r; lease $lease"; fi
else
    fail rebind "no interface after bind"
fi

# --- removal: the device must be left as at power-on (the host checks) ---
rmmod gve
gve_log
driver_errors driver-log
kernel_warnings kernel-warnings
echo "CASE gve statistics and log above; removed"
[ "$FAILED" = 0 ]
