using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Gvnic.Platform;
using Gvnic.Runtime.Vfio.Interop;
using Gvnic.Wire;
using Tmds.Linux;

namespace Gvnic.Runtime.Vfio;

/// <summary>
/// A gVNIC PCI function opened through Linux VFIO: BAR0 and BAR2 mmapped, config space through the device
/// file, MSI-X on eventfds and DMA memory mapped into the group's container.
/// </summary>
/// <remarks>
/// <see cref="Open(string, VfioOptions?)"/> checks the function in sysfs first (see <see cref="PciDiscovery"/>)
/// and throws <see cref="VfioSetupException"/> naming each problem and its fix; a failing system call throws
/// <see cref="VfioException"/> with the step, the file and errno. <see cref="Dispose"/> undoes everything in
/// reverse order, and unmaps DMA memory only once bus mastering is off (or the function has been reset).
/// </remarks>
public sealed unsafe class VfioPciFunction : IPciFunction
{
    /// <summary>PCI config space offset of the command register.</summary>
    public const int PciCommandOffset = 0x04;

    /// <summary>Command register: memory space decoding.</summary>
    public const ushort PciCommandMemory = 1 << 1;

    /// <summary>Command register: bus mastering (the function may issue DMA).</summary>
    public const ushort PciCommandBusMaster = 1 << 2;

    /// <summary>The smallest BAR0 the driver can use: its registers end with the 16-bit adminq_length at 0x28.</summary>
    public const ulong MinimumBar0Length = Bar0Registers.Offsets.AdminqLength + 2;

    /// <summary>The smallest BAR2 the driver can use: one 32-bit doorbell (the driver checks each doorbell index against the length).</summary>
    public const ulong MinimumBar2Length = 4;

    private readonly ILinuxApi _api;
    private readonly VfioOptions _options;
    private readonly List<Exception> _closeProblems = [];
    private int _containerFd = -1;
    private int _groupFd = -1;
    private bool _containerSet;
    private int _deviceFd = -1;
    private uint _deviceFlags;
    private long _configOffset;
    private ulong _configSize;
    private byte* _bar0;
    private ulong _bar0Length;
    private byte* _bar2;
    private ulong _bar2Length;
    private IMmioRegion? _bar0Region;
    private IMmioRegion? _bar2Region;
    private VfioInterruptController? _interrupts;
    private VfioDmaAllocator? _dma;
    private bool _disposed;

    private VfioPciFunction(ILinuxApi api, VfioOptions options, string address, VfioGroupLocation group)
    {
        _api = api;
        _options = options;
        Address = address;
        Group = group;
    }

    /// <summary>Opens the gVNIC function at <paramref name="address"/> (e.g. <c>0000:00:04.0</c>).</summary>
    /// <exception cref="VfioSetupException">The function is missing, not a gVNIC, not bound to vfio-pci, or its group is unusable.</exception>
    /// <exception cref="VfioException">A VFIO step failed.</exception>
    public static VfioPciFunction Open(string address, VfioOptions? options = null) => Open(address, options ?? new VfioOptions(), LinuxApi.Instance);

    internal static VfioPciFunction Open(string address, VfioOptions options, ILinuxApi api)
    {
        ArgumentNullException.ThrowIfNull(address);
        var discovery = new PciDiscovery(options.SysfsRoot, options.DevVfioDirectory, api);
        var group = discovery.EnsureReady(address, options.AllowUnsafeNoIommu);
        var hostProblems = HostProblems(options, group, api);
        if (hostProblems.Count > 0) throw new VfioSetupException(PciAddress.Parse(address).ToString(), hostProblems);
        var function = new VfioPciFunction(api, options, PciAddress.Parse(address).ToString(), group);
        try
        {
            function.Initialize(discovery);
            return function;
        }
        catch
        {
            function.Dispose();
            throw;
        }
    }

    /// <summary>
    /// What the process and the system lack for <paramref name="group"/>: root in no-IOMMU mode, free 2 MiB huge pages
    /// when DMA memory comes from them.
    /// </summary>
    internal static List<PciProblem> HostProblems(VfioOptions options, VfioGroupLocation group, ILinuxApi api)
    {
        var problems = new List<PciProblem>();
        uint uid = api.GetEffectiveUserId();
        if (group.IsNoIommu && uid != 0)
        {
            problems.Add(new PciProblem(PciProblemKind.NotRoot,
                "No-IOMMU mode needs root, and this process runs as uid " + uid.ToString(CultureInfo.InvariantCulture) + ": opening " + group.DevicePath
                + " needs CAP_SYS_RAWIO, and the physical addresses the device must be given are only readable from /proc/self/pagemap with CAP_SYS_ADMIN.",
                "Run it as root (`sudo`); with `dotnet run`, `sudo -E dotnet run ...` or build first and run the built program with sudo."));
        }

        if (options.UseHugePages ?? group.IsNoIommu)
        {
            var pool = new HugePagePool(options.SysfsRoot);
            if (pool.Problem() is PciProblem problem) problems.Add(problem);
        }

        return problems;
    }

    /// <inheritdoc/>
    public string Address { get; }

    /// <summary>The IOMMU group and its device node.</summary>
    public VfioGroupLocation Group { get; }

    /// <inheritdoc/>
    public ushort VendorId { get; private set; }

    /// <inheritdoc/>
    public ushort DeviceId { get; private set; }

    /// <inheritdoc/>
    public byte RevisionId { get; private set; }

    /// <summary>Whether the function supports VFIO_DEVICE_RESET.</summary>
    public bool SupportsReset => (_deviceFlags & VfioAbi.VFIO_DEVICE_FLAGS_RESET) != 0;

    /// <inheritdoc/>
    public IMmioRegion Bar0 => _bar0Region ?? throw Gone();

    /// <inheritdoc/>
    public IMmioRegion Bar2 => _bar2Region ?? throw Gone();

    /// <summary>The length of BAR0 in bytes.</summary>
    public long Bar0Length => (long)_bar0Length;

    /// <inheritdoc/>
    public long Bar2Length => (long)_bar2Length;

    /// <inheritdoc/>
    public IDmaAllocator Dma => _dma ?? throw Gone();

    /// <inheritdoc/>
    public IInterruptController Interrupts => _interrupts ?? throw Gone();

    /// <summary>What went wrong while disposing (empty when everything was released cleanly).</summary>
    public IReadOnlyList<Exception> CloseProblems => _closeProblems;

    private string ContainerPath => System.IO.Path.Combine(_options.DevVfioDirectory, "vfio");

    private string DeviceName => "vfio device " + Address;

    /// <inheritdoc/>
    public void EnableBusMaster()
    {
        ushort command = ReadConfig16(PciCommandOffset);
        WriteConfig16(PciCommandOffset, (ushort)(command | PciCommandMemory | PciCommandBusMaster));
    }

    /// <inheritdoc/>
    public void DisableBusMaster()
    {
        ushort command = ReadConfig16(PciCommandOffset);
        WriteConfig16(PciCommandOffset, (ushort)(command & ~PciCommandBusMaster));
    }

    /// <summary>Resets the function with VFIO_DEVICE_RESET (a function-level reset; it also turns bus mastering off).</summary>
    /// <exception cref="NotSupportedException">The function does not support reset.</exception>
    public void Reset()
    {
        ThrowIfDisposed();
        if (!SupportsReset) throw new NotSupportedException(DeviceName + " does not support VFIO_DEVICE_RESET");
        Check(_api.Ioctl(_deviceFd, VfioAbi.VFIO_DEVICE_RESET, 0), "VFIO_DEVICE_RESET", DeviceName);
    }

    /// <summary>Reads bytes of PCI config space (little-endian, as the bus defines it).</summary>
    public void ReadConfig(int offset, Span<byte> destination)
    {
        ThrowIfDisposed();
        CheckConfigRange(offset, destination.Length);
        ReadConfigCore(offset, destination);
    }

    /// <summary>The pread behind <see cref="ReadConfig"/>, without the disposed check (teardown uses it).</summary>
    private void ReadConfigCore(int offset, Span<byte> destination)
    {
        fixed (byte* p = destination) ConfigTransfer(offset, p, destination.Length, write: false);
    }

    /// <summary>Writes bytes of PCI config space.</summary>
    public void WriteConfig(int offset, ReadOnlySpan<byte> source)
    {
        ThrowIfDisposed();
        CheckConfigRange(offset, source.Length);
        WriteConfigCore(offset, source);
    }

    /// <summary>The pwrite behind <see cref="WriteConfig"/>, without the disposed check (teardown uses it).</summary>
    private void WriteConfigCore(int offset, ReadOnlySpan<byte> source)
    {
        fixed (byte* p = source) ConfigTransfer(offset, p, source.Length, write: true);
    }

    /// <summary>One pread or pwrite of <paramref name="length"/> bytes of config space; anything but all of them is an error.</summary>
    private void ConfigTransfer(int offset, byte* p, int length, bool write)
    {
        long n = write ? _api.Pwrite(_deviceFd, p, (nuint)length, _configOffset + offset) : _api.Pread(_deviceFd, p, (nuint)length, _configOffset + offset);
        string call = write ? "pwrite" : "pread";
        if (n < 0) throw new VfioException(call + " of config space at 0x" + offset.ToString("X"), DeviceName, (int)-n);
        if (n != length)
        {
            throw new VfioException(call, DeviceName, "config space " + (write ? "write" : "read") + " at 0x" + offset.ToString("X") + (write ? " wrote " : " returned ") + n + " of " + length + " bytes");
        }
    }

    /// <summary>Reads a 16-bit config-space register.</summary>
    public ushort ReadConfig16(int offset)
    {
        Span<byte> b = stackalloc byte[2];
        ReadConfig(offset, b);
        return BinaryPrimitives.ReadUInt16LittleEndian(b);
    }

    /// <summary>Writes a 16-bit config-space register.</summary>
    public void WriteConfig16(int offset, ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        WriteConfig(offset, b);
    }

    /// <summary>
    /// Releases everything in reverse order: MSI-X off and eventfds closed, bus mastering off, reset, DMA memory
    /// unmapped (only when the device was stopped), BARs unmapped, device, group and container closed.
    /// Failures do not stop the teardown; they are kept in <see cref="CloseProblems"/>.
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        bool deviceStopped = _deviceFd < 0;

        if (_interrupts is not null) Attempt(_interrupts.Close);

        if (_deviceFd >= 0 && _configSize > 0)
        {
            deviceStopped |= Attempt(() =>
            {
                ushort command = ReadConfig16Unchecked(PciCommandOffset);
                WriteConfig16Unchecked(PciCommandOffset, (ushort)(command & ~PciCommandBusMaster));
            });
        }

        if (_deviceFd >= 0 && _options.ResetOnClose && SupportsReset)
        {
            deviceStopped |= Attempt(() => Check(_api.Ioctl(_deviceFd, VfioAbi.VFIO_DEVICE_RESET, 0), "VFIO_DEVICE_RESET", DeviceName));
        }

        if (_dma is not null)
        {
            if (deviceStopped)
            {
                Attempt(() => _dma.ReleaseAll());
            }
            else
            {
                long bytes = _dma.Abandon();
                _closeProblems.Add(new VfioException("close", DeviceName,
                    "Bus mastering could not be turned off and the function could not be reset, so " + bytes + " bytes of DMA memory stay allocated (leaked) rather than reused while the device might still write them."));
            }
        }

        UnmapBar(ref _bar2Region, ref _bar2, _bar2Length);
        UnmapBar(ref _bar0Region, ref _bar0, _bar0Length);

        if (_deviceFd >= 0)
        {
            int fd = _deviceFd;
            _deviceFd = -1;
            Attempt(() => Check(_api.Close(fd), "close", DeviceName));
        }

        if (_containerSet)
        {
            _containerSet = false;
            Attempt(() => Check(_api.Ioctl(_groupFd, VfioAbi.VFIO_GROUP_UNSET_CONTAINER, 0), "VFIO_GROUP_UNSET_CONTAINER", Group.DevicePath));
        }

        if (_groupFd >= 0)
        {
            int fd = _groupFd;
            _groupFd = -1;
            Attempt(() => Check(_api.Close(fd), "close", Group.DevicePath));
        }

        if (_containerFd >= 0)
        {
            int fd = _containerFd;
            _containerFd = -1;
            Attempt(() => Check(_api.Close(fd), "close", ContainerPath));
        }
    }

    /// <inheritdoc/>
    public override string ToString() => "gVNIC " + Address + " (VFIO group " + Group.Group + (Group.IsNoIommu ? ", no-IOMMU" : "") + ")";

    private void Initialize(PciDiscovery discovery)
    {
        string containerPath = ContainerPath;
        _containerFd = OpenNode(containerPath);

        int version = _api.Ioctl(_containerFd, VfioAbi.VFIO_GET_API_VERSION, 0);
        Check(version, "VFIO_GET_API_VERSION", containerPath);
        if (version != VfioAbi.VFIO_API_VERSION)
            throw new VfioException("VFIO_GET_API_VERSION", containerPath, "The kernel's VFIO API version is " + version + "; this backend speaks version " + VfioAbi.VFIO_API_VERSION + ".");

        int iommuType = ChooseIommuType(containerPath);

        _groupFd = OpenNode(Group.DevicePath);

        var status = new vfio_group_status { argsz = (uint)sizeof(vfio_group_status) };
        Check(_api.Ioctl(_groupFd, VfioAbi.VFIO_GROUP_GET_STATUS, &status), "VFIO_GROUP_GET_STATUS", Group.DevicePath);
        if ((status.flags & VfioAbi.VFIO_GROUP_FLAGS_VIABLE) == 0)
        {
            var members = discovery.GroupMembers(Group.Group);
            throw new VfioException("VFIO_GROUP_GET_STATUS", Group.DevicePath,
                "IOMMU group " + Group.Group + " is not viable: a device in it (" + string.Join(", ", members) + ") is bound to a host driver.",
                "Bind every device in /sys/kernel/iommu_groups/" + Group.Group + "/devices to vfio-pci, or unbind them.");
        }

        int container = _containerFd;
        int result = _api.Ioctl(_groupFd, VfioAbi.VFIO_GROUP_SET_CONTAINER, &container);
        Check(result, "VFIO_GROUP_SET_CONTAINER", Group.DevicePath,
            -result == Errno.EBUSY ? "The group already belongs to a container: another process (a DPDK application, QEMU, another driver instance) has it open" : null);
        _containerSet = true;

        Check(_api.Ioctl(_containerFd, VfioAbi.VFIO_SET_IOMMU, iommuType), "VFIO_SET_IOMMU", containerPath);

        byte[] name = Encoding.ASCII.GetBytes(Address + "\0");
        fixed (byte* n = name)
        {
            int fd = _api.Ioctl(_groupFd, VfioAbi.VFIO_GROUP_GET_DEVICE_FD, n);
            Check(fd, "VFIO_GROUP_GET_DEVICE_FD (" + Address + ")", Group.DevicePath,
                -fd == Errno.EPERM && Group.IsNoIommu ? "No-IOMMU devices need CAP_SYS_RAWIO: run as root" : null);
            _deviceFd = fd;
        }

        var info = new vfio_device_info { argsz = (uint)sizeof(vfio_device_info) };
        Check(_api.Ioctl(_deviceFd, VfioAbi.VFIO_DEVICE_GET_INFO, &info), "VFIO_DEVICE_GET_INFO", DeviceName);
        if ((info.flags & VfioAbi.VFIO_DEVICE_FLAGS_PCI) == 0)
            throw new VfioException("VFIO_DEVICE_GET_INFO", DeviceName, DeviceName + " is not a vfio-pci device (flags 0x" + info.flags.ToString("X") + ").");
        if (info.num_regions <= VfioAbi.VFIO_PCI_CONFIG_REGION_INDEX || info.num_irqs <= VfioAbi.VFIO_PCI_MSIX_IRQ_INDEX)
            throw new VfioException("VFIO_DEVICE_GET_INFO", DeviceName, DeviceName + " reports " + info.num_regions + " regions and " + info.num_irqs + " interrupt indexes; vfio-pci has 9 and 5.");
        _deviceFlags = info.flags;

        var config = RegionInfo(VfioAbi.VFIO_PCI_CONFIG_REGION_INDEX, "config space");
        _configOffset = (long)config.offset;
        _configSize = config.size;
        Span<byte> header = stackalloc byte[12];
        ReadConfig(0, header);
        VendorId = BinaryPrimitives.ReadUInt16LittleEndian(header);
        DeviceId = BinaryPrimitives.ReadUInt16LittleEndian(header[2..]);
        RevisionId = header[8];
        if (VendorId != PciIds.GoogleVendor || DeviceId != PciIds.GvnicDevice)
        {
            throw new VfioException("config space", DeviceName,
                Address + " has PCI id " + VendorId.ToString("x4", CultureInfo.InvariantCulture) + ":" + DeviceId.ToString("x4", CultureInfo.InvariantCulture) + " in config space, not gVNIC's " + PciIds.Text + ".");
        }

        if (_options.ResetOnOpen && SupportsReset) Reset();

        _bar0Region = OpenBar(VfioAbi.VFIO_PCI_BAR0_REGION_INDEX, "BAR0", MinimumBar0Length, "the gVNIC registers take (device_status at 0x0 up to adminq_length at 0x28)", out _bar0, out _bar0Length);
        _bar2Region = OpenBar(VfioAbi.VFIO_PCI_BAR2_REGION_INDEX, "BAR2", MinimumBar2Length, "one 32-bit doorbell takes", out _bar2, out _bar2Length);

        var irq = new vfio_irq_info { argsz = (uint)sizeof(vfio_irq_info), index = VfioAbi.VFIO_PCI_MSIX_IRQ_INDEX };
        Check(_api.Ioctl(_deviceFd, VfioAbi.VFIO_DEVICE_GET_IRQ_INFO, &irq), "VFIO_DEVICE_GET_IRQ_INFO (MSI-X)", DeviceName);
        if (irq.count == 0 || (irq.flags & VfioAbi.VFIO_IRQ_INFO_EVENTFD) == 0)
            throw new VfioException("VFIO_DEVICE_GET_IRQ_INFO", DeviceName, DeviceName + " offers no MSI-X vectors with eventfd signalling (count " + irq.count + ", flags 0x" + irq.flags.ToString("X") + ").");
        _interrupts = new VfioInterruptController(_api, _deviceFd, DeviceName, (int)irq.count);

        int pageSize = Environment.SystemPageSize;
        IDmaMapper mapper = Group.IsNoIommu
            ? new NoIommuDmaMapper(_api, pageSize)
            : new Type1DmaMapper(_api, _containerFd, containerPath, new IovaAllocator(_options.IovaBase, _options.IovaLimit, (ulong)pageSize));
        _dma = new VfioDmaAllocator(_api, mapper, pageSize, _options.UseHugePages ?? Group.IsNoIommu, DeviceName, new HugePagePool(_options.SysfsRoot));
    }

    private int ChooseIommuType(string containerPath)
    {
        if (Group.IsNoIommu)
        {
            int noIommu = _api.Ioctl(_containerFd, VfioAbi.VFIO_CHECK_EXTENSION, VfioAbi.VFIO_NOIOMMU_IOMMU);
            Check(noIommu, "VFIO_CHECK_EXTENSION (VFIO_NOIOMMU_IOMMU)", containerPath);
            if (noIommu == 0)
                throw new VfioException("VFIO_CHECK_EXTENSION", containerPath, "The container does not offer VFIO_NOIOMMU_IOMMU.",
                    "Enable it: `echo 1 | sudo tee /sys/module/vfio/parameters/enable_unsafe_noiommu_mode`.");
            return VfioAbi.VFIO_NOIOMMU_IOMMU;
        }

        int v2 = _api.Ioctl(_containerFd, VfioAbi.VFIO_CHECK_EXTENSION, VfioAbi.VFIO_TYPE1v2_IOMMU);
        Check(v2, "VFIO_CHECK_EXTENSION (VFIO_TYPE1v2_IOMMU)", containerPath);
        if (v2 > 0) return VfioAbi.VFIO_TYPE1v2_IOMMU;
        int v1 = _api.Ioctl(_containerFd, VfioAbi.VFIO_CHECK_EXTENSION, VfioAbi.VFIO_TYPE1_IOMMU);
        Check(v1, "VFIO_CHECK_EXTENSION (VFIO_TYPE1_IOMMU)", containerPath);
        if (v1 > 0) return VfioAbi.VFIO_TYPE1_IOMMU;
        throw new VfioException("VFIO_CHECK_EXTENSION", containerPath, "The kernel's VFIO has no type1 IOMMU backend.",
            "Load it (`sudo modprobe vfio_iommu_type1`), or on a VM without an IOMMU use no-IOMMU mode (see docs/vfio.md).");
    }

    private int OpenNode(string path)
    {
        int fd = _api.Open(path, LibC.O_RDWR);
        if (fd >= 0) return fd;
        string? hint = -fd switch
        {
            Errno.EACCES or Errno.EPERM => "Run as root or give your user the node (`sudo chown $USER " + path + "`)",
            Errno.ENOENT => "Load VFIO (`sudo modprobe vfio-pci`) and bind the device to vfio-pci",
            Errno.EBUSY => "Another process (a DPDK application, QEMU, another driver instance) has the group open",
            _ => null,
        };
        throw new VfioException("open", path, -fd, hint);
    }

    private vfio_region_info RegionInfo(uint index, string what)
    {
        var region = new vfio_region_info { argsz = (uint)sizeof(vfio_region_info), index = index };
        Check(_api.Ioctl(_deviceFd, VfioAbi.VFIO_DEVICE_GET_REGION_INFO, &region), "VFIO_DEVICE_GET_REGION_INFO (" + what + ")", DeviceName);
        return region;
    }

    /// <summary>
    /// Region info of a BAR, its size checked against <paramref name="minimum"/>, then an mmap of it or, when VFIO
    /// does not allow one, a region that reads and writes it with pread/pwrite.
    /// </summary>
    private IMmioRegion OpenBar(uint index, string bar, ulong minimum, string needs, out byte* pointer, out ulong length)
    {
        var region = RegionInfo(index, bar);
        pointer = null;
        length = region.size;
        string name = bar + " of " + Address;
        if (region.size == 0)
            throw new VfioException("VFIO_DEVICE_GET_REGION_INFO", DeviceName, name + " is not implemented (size 0).", BarHint);
        if (region.size < minimum)
        {
            throw new VfioException("VFIO_DEVICE_GET_REGION_INFO", DeviceName,
                name + " is " + region.size + " bytes, smaller than the " + minimum + " bytes " + needs + ".", BarHint);
        }

        if ((region.flags & VfioAbi.VFIO_REGION_INFO_FLAG_MMAP) != 0)
        {
            int result = _api.Mmap((nuint)region.size, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, _deviceFd, (long)region.offset, out void* mapped);
            Check(result, "mmap of " + bar + " (0x" + region.size.ToString("X") + " bytes at 0x" + region.offset.ToString("X") + ")", DeviceName);
            pointer = (byte*)mapped;
            return new MappedMmioRegion(name, pointer, (long)region.size);
        }

        const uint readWrite = VfioAbi.VFIO_REGION_INFO_FLAG_READ | VfioAbi.VFIO_REGION_INFO_FLAG_WRITE;
        if ((region.flags & readWrite) != readWrite)
            throw new VfioException("VFIO_DEVICE_GET_REGION_INFO", DeviceName, name + " can be neither mmapped nor read and written (region flags 0x" + region.flags.ToString("X") + ").", BarHint);
        return new FileMmioRegion(_api, _deviceFd, (long)region.offset, (long)region.size, name, DeviceName);
    }

    private string BarHint => "This is not a working gVNIC function: compare `sudo lspci -vv -s " + Address + "` (Region 0 and Region 2) with another gVNIC, and use another function or VM.";

    private void UnmapBar(ref IMmioRegion? region, ref byte* pointer, ulong length)
    {
        if (region is MappedMmioRegion mapped) mapped.Invalidate();
        else if (region is FileMmioRegion file) file.Invalidate();
        region = null;
        if (pointer == null) return;
        byte* p = pointer;
        pointer = null;
        int result = _api.Munmap(p, (nuint)length);
        if (result < 0) _closeProblems.Add(new VfioException("munmap of a BAR", DeviceName, -result));
    }

    private ushort ReadConfig16Unchecked(int offset)
    {
        Span<byte> b = stackalloc byte[2];
        ReadConfigCore(offset, b);
        return BinaryPrimitives.ReadUInt16LittleEndian(b);
    }

    private void WriteConfig16Unchecked(int offset, ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        WriteConfigCore(offset, b);
    }

    private void CheckConfigRange(int offset, int length)
    {
        if (offset < 0 || length < 0 || (ulong)offset + (ulong)length > _configSize)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, length + " bytes at config offset 0x" + offset.ToString("X") + " are outside the 0x" + _configSize.ToString("X") + "-byte config space of " + Address);
    }

    private bool Attempt(Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (Exception e) when (e is VfioException or AggregateException or ArgumentException or InvalidOperationException)
        {
            _closeProblems.Add(e);
            return false;
        }
    }

    private static void Check(int result, string step, string target, string? hint = null)
    {
        if (result < 0) throw new VfioException(step, target, -result, hint);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed || _deviceFd < 0, this);

    private ObjectDisposedException Gone() => new(ToString(), ToString() + " is disposed");
}
