# case: up
# Our driver in the guest: the gVNIC bound to the guest kernel's vfio-pci, then `gvnic up` (published
# self-contained into the initramfs by build-gvnic-guest) runs the demo's scenario against the device
# model through VFIO: DHCP, ARP, ping, UDP echo, statistics, teardown. Parameters (kernel command line):
# gvnic_format, gvnic_wait (polling or interrupts), gvnic_frames, gvnic_noiommu (1: vfio's no-IOMMU mode).
. /lib/gvnic/case-lib.sh
set +e   # every check reports itself; the case fails at the end if one did
format="$(param format)"
wait="$(param wait polling)"
frames="$(param frames 2000)"
noiommu="$(param noiommu 0)"
echo "CASE kernel $(cat /etc/gvnic-kernel) format=$format wait=$wait frames=$frames noiommu=$noiommu"
pci="$(gvnic_pci)"
[ -n "$pci" ] || { fail vfio "no gVNIC on the bus"; exit 1; }
if [ "$noiommu" = 1 ]; then
    modprobe vfio enable_unsafe_noiommu_mode=1 || { fail vfio "modprobe vfio enable_unsafe_noiommu_mode=1 failed"; exit 1; }
fi
# The emulated IOMMU runs without interrupt remapping (intremap=off), so type1 refuses VFIO_SET_IOMMU with
# EPERM unless told that unremapped MSIs are acceptable (as on any host without interrupt remapping).
modprobe vfio_iommu_type1 allow_unsafe_interrupts=1 2>/dev/null
modprobe vfio-pci
echo vfio-pci > "/sys/bus/pci/devices/$pci/driver_override"
echo "$pci" > /sys/bus/pci/drivers_probe
driver="$(basename "$(readlink "/sys/bus/pci/devices/$pci/driver" 2>/dev/null)")"
group="$(basename "$(readlink "/sys/bus/pci/devices/$pci/iommu_group" 2>/dev/null)")"
if [ "$driver" = vfio-pci ] && [ -n "$group" ]; then
    pass vfio "$pci bound to vfio-pci, IOMMU group $group, $(ls /dev/vfio | tr '\n' ' ')"
else
    fail vfio "$pci: driver '$driver', IOMMU group '$group'"
    exit 1
fi
if [ "$noiommu" = 1 ]; then
    # No-IOMMU mode DMA comes from 2 MiB huge pages (docs/gce.md).
    echo 64 > /proc/sys/vm/nr_hugepages
    args="--unsafe-noiommu"
else
    args=""
fi
t0="$(cut -d' ' -f1 /proc/uptime)"
gvnic up --pci "$pci" --format "$format" --wait "$wait" --frames "$frames" $args > /tmp/up.log 2>&1
rc=$?
t1="$(cut -d' ' -f1 /proc/uptime)"
sed 's/^/CASE up /' /tmp/up.log
traffic_line="$(grep -E 'traffic: ' /tmp/up.log | head -1 | sed 's/^ *//')"
if [ "$rc" = 0 ] && grep -q 'every DMA allocation returned' /tmp/up.log; then
    pass up "exit 0 in $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}') s; $traffic_line"
else
    fail up "exit $rc; $(grep -E '^gvnic: |✗' /tmp/up.log | head -2 | tr '\n' ' ')"
fi
[ "$FAILED" = 0 ]
