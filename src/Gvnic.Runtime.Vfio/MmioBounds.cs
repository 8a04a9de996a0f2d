using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Gvnic.Runtime.Vfio;

/// <summary>The bounds and alignment rule every BAR access obeys, mapped or through pread/pwrite, and its message.</summary>
internal static class MmioBounds
{
    /// <summary>Throws unless a <paramref name="width"/>-byte access at <paramref name="offset"/> lies inside <paramref name="length"/> bytes and is naturally aligned.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Check(long offset, int width, long length, string name)
    {
        if (offset < 0 || offset > length - width || (offset & (width - 1)) != 0) ThrowBadAccess(offset, width, length, name);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBadAccess(long offset, int width, long length, string name)
    {
        string access = width + "-byte access at offset 0x" + offset.ToString("X") + " of " + name;
        if (offset < 0 || width > length || offset > length - width)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, access + " is outside the region (0x" + length.ToString("X") + " bytes)");
        throw new ArgumentOutOfRangeException(nameof(offset), offset, access + " is not naturally aligned (the offset must be a multiple of " + width + ")");
    }
}
