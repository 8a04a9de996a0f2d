# case: enumerate
# Needs a vfio-user server for the device (tools/conformance/boot ... -- -device vfio-user-pci,...): the guest
# finds one gVNIC with its PCI identity and three 32-bit memory BARs, loads gve and prints what its probe said.
d=""
for dev in /sys/bus/pci/devices/*; do
    [ "$(cat "$dev/vendor"):$(cat "$dev/device")" = "0x1ae0:0x0042" ] && d="$dev"
done
[ -n "$d" ] || { echo "CASE no gVNIC (1ae0:0042) on the bus"; exit 1; }
echo "CASE gvnic $(basename "$d") rev=$(cat "$d/revision") class=$(cat "$d/class") subsystem=$(cat "$d/subsystem_vendor"):$(cat "$d/subsystem_device")"
[ "$(cat "$d/class")" = "0x020000" ] || { echo "CASE class is not Ethernet"; exit 1; }
[ "$(cat "$d/subsystem_vendor"):$(cat "$d/subsystem_device")" = "0x1ae0:0x0058" ] || { echo "CASE wrong subsystem"; exit 1; }
i=0
while read -r start end flags; do
    [ "$i" -le 2 ] || break
    size=$(( end - start + 1 ))
    echo "CASE bar$i start=$start size=$size flags=$flags"
    [ "$start" != "0x0000000000000000" ] || { echo "CASE BAR$i was not assigned"; exit 1; }
    i=$((i + 1))
done < "$d/resource"
modprobe gve
sleep 2
dmesg | grep -E "gve|gvnic" | sed 's/^/CASE dmesg /'
echo "CASE driver $(basename "$(readlink "$d/driver" 2>/dev/null || echo none)")"
