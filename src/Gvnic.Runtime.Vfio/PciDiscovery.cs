using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Gvnic.Platform;
using Gvnic.Runtime.Vfio.Interop;

namespace Gvnic.Runtime.Vfio;

/// <summary>
/// Finds PCI functions in sysfs and explains what keeps one from being opened with VFIO, with the fix.
/// The sysfs root and the /dev/vfio directory are injectable, so a fake tree in a temporary directory works.
/// </summary>
public sealed class PciDiscovery
{
    private readonly ILinuxApi _api;

    /// <summary>Discovery over the given sysfs root (normally <c>/sys</c>) and VFIO device directory (normally <c>/dev/vfio</c>).</summary>
    public PciDiscovery(string sysfsRoot = "/sys", string devVfioDirectory = "/dev/vfio")
        : this(sysfsRoot, devVfioDirectory, LinuxApi.Instance)
    {
    }

    internal PciDiscovery(string sysfsRoot, string devVfioDirectory, ILinuxApi api)
    {
        ArgumentNullException.ThrowIfNull(sysfsRoot);
        ArgumentNullException.ThrowIfNull(devVfioDirectory);
        SysfsRoot = sysfsRoot;
        DevVfioDirectory = devVfioDirectory;
        _api = api;
    }

    /// <summary>The sysfs root, e.g. <c>/sys</c>.</summary>
    public string SysfsRoot { get; }

    /// <summary>The VFIO device directory, e.g. <c>/dev/vfio</c>.</summary>
    public string DevVfioDirectory { get; }

    /// <summary>The VFIO container node, <c>/dev/vfio/vfio</c>.</summary>
    public string ContainerPath => Path.Combine(DevVfioDirectory, "vfio");

    private string DevicesDirectory => Path.Combine(SysfsRoot, "bus", "pci", "devices");

    private string NoIommuParameterPath => Path.Combine(SysfsRoot, "module", "vfio", "parameters", "enable_unsafe_noiommu_mode");

    /// <summary>Whether VFIO's unsafe no-IOMMU mode is enabled (<c>/sys/module/vfio/parameters/enable_unsafe_noiommu_mode</c> is Y).</summary>
    public bool IsNoIommuModeEnabled
    {
        get
        {
            string? value = ReadText(NoIommuParameterPath);
            return value is "Y" or "y" or "1";
        }
    }

    /// <summary>The sysfs directory of a function.</summary>
    public string DeviceDirectory(string address) => Path.Combine(DevicesDirectory, address);

    /// <summary>Every PCI function sysfs lists, sorted by address (empty when sysfs has no PCI bus).</summary>
    public IReadOnlyList<PciDeviceInfo> ListDevices()
    {
        if (!Directory.Exists(DevicesDirectory)) return [];
        var list = new List<PciDeviceInfo>();
        foreach (string entry in Directory.EnumerateFileSystemEntries(DevicesDirectory).Order(StringComparer.Ordinal))
        {
            if (!PciAddress.TryParse(Path.GetFileName(entry), out var address)) continue;
            var info = Find(address.ToString());
            if (info is not null) list.Add(info);
        }

        return list;
    }

    /// <summary>The gVNIC functions (1ae0:0042), whatever driver they are bound to.</summary>
    public IReadOnlyList<PciDeviceInfo> ListGvnicFunctions() => ListDevices().Where(d => d.IsGvnic).ToList();

    /// <summary>What sysfs says about <paramref name="address"/>, or null when there is no such device.</summary>
    /// <exception cref="FormatException">The address is malformed.</exception>
    public PciDeviceInfo? Find(string address)
    {
        string canonical = PciAddress.Parse(address).ToString();
        string directory = DeviceDirectory(canonical);
        if (!Directory.Exists(directory)) return null;
        ushort vendor = (ushort)(ReadHex(Path.Combine(directory, "vendor")) ?? 0);
        ushort device = (ushort)(ReadHex(Path.Combine(directory, "device")) ?? 0);
        ulong? revision = ReadHex(Path.Combine(directory, "revision"));
        string? groupName = LinkName(Path.Combine(directory, "iommu_group"));
        int? group = groupName is not null && int.TryParse(groupName, NumberStyles.None, CultureInfo.InvariantCulture, out int g) ? g : null;
        string netDirectory = Path.Combine(directory, "net");
        IReadOnlyList<string> interfaces = Directory.Exists(netDirectory)
            ? Directory.EnumerateFileSystemEntries(netDirectory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];
        return new PciDeviceInfo
        {
            Address = canonical,
            VendorId = vendor,
            DeviceId = device,
            RevisionId = revision is null ? null : (byte)revision.Value,
            Driver = LinkName(Path.Combine(directory, "driver")),
            IommuGroup = group,
            NetworkInterfaces = interfaces,
            Resources = ParseResources(ReadText(Path.Combine(directory, "resource"), trim: false)),
        };
    }

    /// <summary>Parses a sysfs <c>resource</c> file: one "start end flags" line of hex per BAR, then the ROM.</summary>
    public static IReadOnlyList<PciResource> ParseResources(string? text)
    {
        if (string.IsNullOrEmpty(text)) return [];
        var list = new List<PciResource>();
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < lines.Length; i++)
        {
            string[] fields = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 3) continue;
            if (!TryParseHex(fields[0], out ulong start) || !TryParseHex(fields[1], out ulong end) || !TryParseHex(fields[2], out ulong flags)) continue;
            if (start == 0 && end == 0) continue;
            list.Add(new PciResource(i, start, end - start + 1, flags));
        }

        return list;
    }

    /// <summary>
    /// Everything that keeps <paramref name="address"/> from being opened with VFIO, most fundamental first;
    /// empty when it is ready.
    /// </summary>
    /// <param name="address">The PCI address.</param>
    /// <param name="allowNoIommu">Whether an unsafe no-IOMMU group is acceptable.</param>
    public IReadOnlyList<PciProblem> Diagnose(string address, bool allowNoIommu = false)
    {
        var problems = new List<PciProblem>();
        if (!PciAddress.TryParse(address, out var parsed))
        {
            problems.Add(new PciProblem(PciProblemKind.InvalidAddress,
                "'" + address + "' is not a PCI address.",
                "Give it as domain:bus:slot.function, e.g. 0000:00:04.0; `lspci -D -d " + PciIds.Text + "` lists the gVNIC functions."));
            return problems;
        }

        string canonical = parsed.ToString();
        var info = Find(canonical);
        if (info is null)
        {
            var gvnics = ListGvnicFunctions();
            string known = gvnics.Count == 0
                ? "This machine has no gVNIC function in " + DevicesDirectory + "."
                : "gVNIC functions here: " + string.Join(", ", gvnics.Select(Describe)) + ".";
            problems.Add(new PciProblem(PciProblemKind.DeviceNotFound,
                "No PCI device " + canonical + " (" + DeviceDirectory(canonical) + " does not exist). " + known,
                "Use an address from `lspci -D -d " + PciIds.Text + "`; on GCE add a second gVNIC network interface to the VM (the driver must not take the VM's only NIC)."));
            return problems;
        }

        if (!info.IsGvnic)
        {
            problems.Add(new PciProblem(PciProblemKind.NotGvnic,
                canonical + " is " + info.VendorId.ToString("x4", CultureInfo.InvariantCulture) + ":" + info.DeviceId.ToString("x4", CultureInfo.InvariantCulture)
                + ", not a gVNIC (" + PciIds.Text + ").",
                "Pick a gVNIC function: `lspci -D -d " + PciIds.Text + "`."));
            return problems;
        }

        if (!info.IsBoundToVfioPci)
        {
            problems.Add(NotBound(info));
        }

        if (info.IommuGroup is not int group)
        {
            bool noIommu = IsNoIommuModeEnabled;
            problems.Add(new PciProblem(PciProblemKind.NoIommuGroup,
                canonical + " has no IOMMU group (" + Path.Combine(DeviceDirectory(canonical), "iommu_group") + " is missing): the VM has no IOMMU enabled"
                + (noIommu ? " and the device was bound before no-IOMMU mode was turned on." : " and VFIO's no-IOMMU mode is off."),
                noIommu
                    ? "Rebind the device to vfio-pci now that no-IOMMU mode is on (unbind, then `echo " + canonical + " | sudo tee /sys/bus/pci/drivers_probe`)."
                    : "Either boot with an IOMMU (on x86 add intel_iommu=on iommu=pt to the kernel command line, on machine types that offer a virtual IOMMU), "
                      + "or enable VFIO's unsafe no-IOMMU mode: `sudo modprobe vfio enable_unsafe_noiommu_mode=1` (or `echo 1 | sudo tee /sys/module/vfio/parameters/enable_unsafe_noiommu_mode`), "
                      + "then rebind the device to vfio-pci and open it with VfioOptions.AllowUnsafeNoIommu."));
            return problems;
        }

        if (info.IsBoundToVfioPci)
        {
            var location = LocateGroup(group);
            if (location is null)
            {
                problems.Add(new PciProblem(PciProblemKind.GroupDeviceMissing,
                    "Neither " + Path.Combine(DevVfioDirectory, group.ToString(CultureInfo.InvariantCulture)) + " nor "
                    + Path.Combine(DevVfioDirectory, "noiommu-" + group.ToString(CultureInfo.InvariantCulture)) + " exists for IOMMU group " + group + ".",
                    "Load VFIO (`sudo modprobe vfio-pci`) and check that udev created the node; inside a container, pass /dev/vfio through."));
            }
            else
            {
                if (location.IsNoIommu && !allowNoIommu)
                {
                    problems.Add(new PciProblem(PciProblemKind.NoIommuMode,
                        canonical + " is in VFIO's unsafe no-IOMMU mode (" + location.DevicePath + "): nothing confines the device's DMA, so a driver bug can corrupt any memory of the VM.",
                        "If that is acceptable (a test VM with a second gVNIC), open it with VfioOptions.AllowUnsafeNoIommu = true and run as root "
                        + "(CAP_SYS_RAWIO for the group, CAP_SYS_ADMIN to read physical addresses from /proc/self/pagemap); otherwise use a VM with an IOMMU."));
                }

                AddPermissionProblem(problems, location.DevicePath);
            }

            if (!File.Exists(ContainerPath))
            {
                problems.Add(new PciProblem(PciProblemKind.GroupDeviceMissing,
                    ContainerPath + " does not exist.",
                    "Load VFIO: `sudo modprobe vfio-pci`."));
            }
            else
            {
                AddPermissionProblem(problems, ContainerPath);
            }
        }

        var blockers = GroupMembers(group)
            .Where(member => member != canonical)
            .Select(member => (member, driver: LinkName(Path.Combine(DeviceDirectory(member), "driver"))))
            .Where(m => m.driver is not null && m.driver is not ("vfio-pci" or "pci-stub" or "pcieport"))
            .ToList();
        if (blockers.Count > 0)
        {
            problems.Add(new PciProblem(PciProblemKind.GroupNotViable,
                "IOMMU group " + group + " is not viable: " + string.Join(", ", blockers.Select(b => b.member + " is bound to " + b.driver))
                + "; VFIO hands out a group only when every device in it is bound to vfio-pci (or to no driver).",
                "Bind every device of " + Path.Combine(SysfsRoot, "kernel", "iommu_groups", group.ToString(CultureInfo.InvariantCulture), "devices") + " to vfio-pci, or unbind them; "
                + "never the device that carries the VM's own network connection."));
        }

        return problems;
    }

    /// <summary>
    /// The one gVNIC function (1ae0:0042) bound to vfio-pci, for callers that were not given an address.
    /// </summary>
    /// <exception cref="VfioSetupException">None is bound to vfio-pci (the problem says which gVNICs exist and how to bind one), or several are.</exception>
    public string FindGvnicForVfio()
    {
        var gvnics = ListGvnicFunctions();
        var bound = gvnics.Where(d => d.IsBoundToVfioPci).ToList();
        if (bound.Count == 1) return bound[0].Address;
        string lead = "No gVNIC (PCI " + PciIds.Text + ") to open with VFIO:";
        if (bound.Count > 1)
        {
            throw new VfioSetupException(PciIds.Text, lead, [new PciProblem(PciProblemKind.DeviceNotFound,
                bound.Count + " gVNIC functions are bound to vfio-pci: " + string.Join(", ", bound.Select(d => d.Address)) + ".",
                "Name the one to use by its PCI address (`gvnic up --pci ADDRESS`).")]);
        }

        if (gvnics.Count == 0)
        {
            int devices = ListDevices().Count;
            throw new VfioSetupException(PciIds.Text, lead, [new PciProblem(PciProblemKind.DeviceNotFound,
                "This machine has no gVNIC: none of the " + devices + " PCI functions in " + DevicesDirectory + " is " + PciIds.Text + ".",
                "Run on a Compute Engine VM whose second network interface is a gVNIC (nic-type=GVNIC) and bind that one to vfio-pci; docs/gce.md walks through it.")]);
        }

        string fix = gvnics.Count == 1
            ? "It is the VM's only gVNIC and carries its network connection: do not unbind it. Add a second gVNIC network interface to the VM (docs/gce.md) and bind that one to vfio-pci."
            : "Bind one that does not carry your connection (`ip route get 8.8.8.8` names the interface you use), e.g. " + gvnics[^1].Address + ": " + NotBound(gvnics[^1]).Fix;
        throw new VfioSetupException(PciIds.Text, lead, [new PciProblem(PciProblemKind.NotBoundToVfioPci,
            "No gVNIC function is bound to vfio-pci; the gVNICs here are " + string.Join(", ", gvnics.Select(Describe)) + ".",
            fix)]);
    }

    /// <summary>Checks <paramref name="address"/> and returns where its group is; throws when anything is wrong.</summary>
    /// <exception cref="VfioSetupException">One or more problems, each with its fix.</exception>
    public VfioGroupLocation EnsureReady(string address, bool allowNoIommu = false)
    {
        var problems = Diagnose(address, allowNoIommu);
        if (problems.Count > 0) throw new VfioSetupException(address, problems);
        var info = Find(address)!;
        return LocateGroup(info.IommuGroup!.Value)!;
    }

    /// <summary>The device node of IOMMU group <paramref name="group"/>, or null when neither form exists.</summary>
    public VfioGroupLocation? LocateGroup(int group)
    {
        string number = group.ToString(CultureInfo.InvariantCulture);
        string normal = Path.Combine(DevVfioDirectory, number);
        if (File.Exists(normal)) return new VfioGroupLocation(group, normal, IsNoIommu: false);
        string noIommu = Path.Combine(DevVfioDirectory, "noiommu-" + number);
        if (File.Exists(noIommu)) return new VfioGroupLocation(group, noIommu, IsNoIommu: true);
        return null;
    }

    /// <summary>The addresses of the devices in IOMMU group <paramref name="group"/>.</summary>
    public IReadOnlyList<string> GroupMembers(int group)
    {
        string directory = Path.Combine(SysfsRoot, "kernel", "iommu_groups", group.ToString(CultureInfo.InvariantCulture), "devices");
        if (!Directory.Exists(directory)) return [];
        return Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
    }

    private PciProblem NotBound(PciDeviceInfo info)
    {
        string a = info.Address;
        string dir = "/sys/bus/pci/devices/" + a;
        string current = info.Driver is null ? "is bound to no driver" : "is bound to " + info.Driver;
        string warning = "";
        if (info.NetworkInterfaces.Count > 0)
        {
            warning = " It carries network interface " + string.Join(", ", info.NetworkInterfaces) + ": unbinding takes that interface away from the VM";
            int otherKernelNics = ListGvnicFunctions().Count(d => d.Address != a && d.Driver == "gve");
            warning += otherKernelNics == 0
                ? ", and it is the VM's only gVNIC under the kernel driver: do not unbind it, or you lose the connection to the VM; add a second gVNIC interface and use that one."
                : "; make sure it is not the one you are connected through.";
        }

        string steps = "sudo modprobe vfio-pci; "
                       + "echo vfio-pci | sudo tee " + dir + "/driver_override; "
                       + (info.Driver is null ? "" : "echo " + a + " | sudo tee " + dir + "/driver/unbind; ")
                       + "echo " + a + " | sudo tee /sys/bus/pci/drivers_probe";
        return new PciProblem(PciProblemKind.NotBoundToVfioPci,
            a + " " + current + ", not vfio-pci." + warning,
            steps + " (or `sudo dpdk-devbind.py -b vfio-pci " + a + "`).");
    }

    private void AddPermissionProblem(List<PciProblem> problems, string path)
    {
        int result = _api.AccessReadWrite(path);
        if (result == -Errno.EACCES || result == -Errno.EPERM)
        {
            problems.Add(new PciProblem(PciProblemKind.GroupPermissionDenied,
                "This process may not open " + path + " for reading and writing (" + Errno.Name(-result) + ").",
                "Run as root, or give your user the node: `sudo chown $USER " + path + "` (a udev rule makes it stick), "
                + "and raise the locked-memory limit (`ulimit -l unlimited`, or memlock in /etc/security/limits.conf) since DMA memory is pinned."
));
        }
    }

    private static string Describe(PciDeviceInfo d)
        => d.Address + " (" + (d.Driver ?? "no driver") + (d.NetworkInterfaces.Count > 0 ? ", " + string.Join("/", d.NetworkInterfaces) : "") + ")";

    private static string? LinkName(string path)
    {
        try
        {
            var info = new FileInfo(path);
            string? target = info.LinkTarget;
            return target is null ? null : Path.GetFileName(target.TrimEnd('/'));
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string? ReadText(string path, bool trim = true)
    {
        try
        {
            if (!File.Exists(path)) return null;
            string text = File.ReadAllText(path);
            return trim ? text.Trim() : text;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static ulong? ReadHex(string path)
    {
        string? text = ReadText(path);
        return text is not null && TryParseHex(text, out ulong value) ? value : null;
    }

    private static bool TryParseHex(string text, out ulong value)
    {
        var s = text.AsSpan().Trim();
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) s = s[2..];
        return ulong.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
