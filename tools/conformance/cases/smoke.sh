# case: smoke
# The guest side without a device: the kernel boots, gve and vfio-pci (with vfio_iommu_type1) load
# and register their PCI drivers; with an emulated IOMMU the kernel has a DMAR unit and IOMMU groups.
# Prints CASE lines the host reads; fails on the first missing piece.
echo "CASE kernel $(cat /etc/gvnic-kernel)"
modprobe gve
modprobe vfio-pci
modprobe vfio_iommu_type1
# The PCI driver of the gve module is "gvnic" in Linux 6.1 and "gve" in later kernels: ask the module.
for m in gve vfio_pci; do
    d="$(ls /sys/module/$m/drivers 2>/dev/null | sed -n 's/^pci://p')"
    if [ -n "$d" ] && [ -d "/sys/bus/pci/drivers/$d" ]; then echo "CASE module $m registered PCI driver $d"; else echo "CASE module $m registered no PCI driver"; exit 1; fi
done
echo "CASE modules $(cut -d' ' -f1 /proc/modules | sort | tr '\n' ' ')"
echo "CASE gve version $(cat /sys/module/gve/version 2>/dev/null || echo unknown)"
if [ -e /sys/module/vfio/parameters/enable_unsafe_noiommu_mode ]; then
    echo "CASE vfio no-IOMMU mode available"
else
    echo "CASE vfio no-IOMMU mode not built (CONFIG_VFIO_NOIOMMU unset)"
fi
if grep -q 'intel_iommu=on' /proc/cmdline; then
    units="$(ls /sys/class/iommu 2>/dev/null | tr '\n' ' ')"
    groups="$(ls /sys/kernel/iommu_groups 2>/dev/null | wc -l)"
    [ -n "$units" ] && [ "$groups" -gt 0 ] || { echo "CASE no IOMMU although intel_iommu=on"; exit 1; }
    echo "CASE iommu units=$units groups=$groups"
fi
for d in /sys/bus/pci/devices/*; do
    echo "CASE pci $(basename "$d") $(cat "$d/vendor"):$(cat "$d/device") class=$(cat "$d/class") driver=$(basename "$(readlink "$d/driver" 2>/dev/null || echo none)")"
done
