using System.Runtime.InteropServices;

namespace Gvnic.Runtime.Vfio.Interop;

// The C layouts from linux/vfio.h. Field names follow the header so the code reads like the C it mirrors.
// Every structure starts with argsz (the caller sets it to the size it passes) and flags.
#pragma warning disable IDE1006 // names follow the kernel header

/// <summary><c>struct vfio_group_status</c> (8 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
internal struct vfio_group_status
{
    [FieldOffset(0)] public uint argsz;
    [FieldOffset(4)] public uint flags;
}

/// <summary>
/// <c>struct vfio_device_info</c> (24 bytes: the current header ends with <c>cap_offset</c> and <c>pad</c>;
/// kernels before the pad was added copy back only the 20 bytes they know, which argsz allows).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
internal struct vfio_device_info
{
    [FieldOffset(0)] public uint argsz;
    [FieldOffset(4)] public uint flags;
    [FieldOffset(8)] public uint num_regions;
    [FieldOffset(12)] public uint num_irqs;
    [FieldOffset(16)] public uint cap_offset;
    [FieldOffset(20)] public uint pad;
}

/// <summary><c>struct vfio_region_info</c> (32 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
internal struct vfio_region_info
{
    [FieldOffset(0)] public uint argsz;
    [FieldOffset(4)] public uint flags;
    [FieldOffset(8)] public uint index;
    [FieldOffset(12)] public uint cap_offset;
    [FieldOffset(16)] public ulong size;
    [FieldOffset(24)] public ulong offset;
}

/// <summary><c>struct vfio_irq_info</c> (16 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct vfio_irq_info
{
    [FieldOffset(0)] public uint argsz;
    [FieldOffset(4)] public uint flags;
    [FieldOffset(8)] public uint index;
    [FieldOffset(12)] public uint count;
}

/// <summary>
/// The fixed header of <c>struct vfio_irq_set</c> (20 bytes); the <c>data[]</c> payload follows it directly
/// (for <c>VFIO_IRQ_SET_DATA_EVENTFD</c>, <c>count</c> 32-bit file descriptors).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 20)]
internal struct vfio_irq_set
{
    [FieldOffset(0)] public uint argsz;
    [FieldOffset(4)] public uint flags;
    [FieldOffset(8)] public uint index;
    [FieldOffset(12)] public uint start;
    [FieldOffset(16)] public uint count;
}

/// <summary><c>struct vfio_iommu_type1_dma_map</c> (32 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
internal struct vfio_iommu_type1_dma_map
{
    [FieldOffset(0)] public uint argsz;
    [FieldOffset(4)] public uint flags;
    [FieldOffset(8)] public ulong vaddr;
    [FieldOffset(16)] public ulong iova;
    [FieldOffset(24)] public ulong size;
}

/// <summary><c>struct vfio_iommu_type1_dma_unmap</c> (24 bytes; the optional <c>data[]</c> is not used).</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
internal struct vfio_iommu_type1_dma_unmap
{
    [FieldOffset(0)] public uint argsz;
    [FieldOffset(4)] public uint flags;
    [FieldOffset(8)] public ulong iova;
    [FieldOffset(16)] public ulong size;
}
#pragma warning restore IDE1006
