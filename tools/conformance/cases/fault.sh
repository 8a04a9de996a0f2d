# case: fault
# A hostile device under a real driver: gvnic serve injects one of the model's faults (--faults) and this
# records what the driver does: Linux's gve (gvnic_driver=gve) or ours through vfio-pci (gvnic_driver=up).
# Nothing here asserts upstream's behaviour: the case prints an OUTCOME line (the driver's log, whether
# traffic flowed during and after the fault, whether the kernel survived) for docs/conformance.md.
# Parameters: gvnic_driver (gve or up), gvnic_format.
. /lib/gvnic/case-lib.sh
set +e
driver="$(param driver gve)"
format="$(param format)"
echo "CASE kernel $(cat /etc/gvnic-kernel) driver=$driver format=$format"
pci="$(gvnic_pci)"
if [ "$driver" = up ]; then
    modprobe vfio_iommu_type1 allow_unsafe_interrupts=1 2>/dev/null
    modprobe vfio-pci
    echo vfio-pci > "/sys/bus/pci/devices/$pci/driver_override"
    echo "$pci" > /sys/bus/pci/drivers_probe
    gvnic up --pci "$pci" --format "$format" --frames 1000 > /tmp/up.log 2>&1
    rc=$?
    sed 's/^/CASE up /' /tmp/up.log | grep -E 'gvnic:|✗|!|traffic|torn down|reset|recover' | head -20
    echo "OUTCOME ours: exit $rc; $(grep -E '^gvnic: ' /tmp/up.log | head -1 | cut -c1-200)$(grep -E 'traffic: ' /tmp/up.log | head -1 | sed 's/^ *✓ */; /')$(grep -E 'torn down' /tmp/up.log | head -1 | sed 's/^ *[✓✗] */; /' | cut -c1-120)"
    exit 0
fi
modprobe gve
wait_for 10 test -n "$(gve_netdev)"
dev="$(gve_netdev)"
if [ -z "$dev" ]; then
    gve_log
    echo "OUTCOME gve: no interface (probe failed): $(dmesg | grep -E "$GVE_LINES" | grep -iE 'fail|error|could not|unable' | head -2 | sed 's/^\[[^]]*\] //' | tr '\n' '|')"
    exit 0
fi
ip link set "$dev" up
wait_for 10 carrier_up "$dev"
dhcp "$dev" > /dev/null
during="$(pings 300 56)"
u="$(udp_echo 300 200)"
sleep 4   # device events come a few seconds after configuration; gve's service task polls every second
after="$(pings 50 56)"; after_rc=$?
gve_log
resets="$(dmesg | grep -ciE 'performing reset|reset')"
echo "OUTCOME gve: traffic during [ping $during; udp $u], after [ping $after] ($([ $after_rc = 0 ] && echo recovered || echo 'not recovered')); carrier $(cat /sys/class/net/$dev/carrier 2>/dev/null); $resets log lines about resets; errors: $(dmesg | grep -E "$GVE_LINES" | grep -iE 'fail|error|timed out|invalid|unexpected|bad' | head -3 | sed 's/^\[[^]]*\] //' | tr '\n' '|')"
rmmod gve
exit 0
