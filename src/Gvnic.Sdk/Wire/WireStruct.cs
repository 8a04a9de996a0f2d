using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gvnic.Wire;

/// <summary>
/// The copies and views every generated wire struct offers (<c>Read</c>, <c>Write</c>, <c>AsRef</c>,
/// <c>AsReadOnly</c>), written once for any <see cref="IWireStruct{TSelf}"/>: the generated members call these.
/// Each checks the span's length and names the struct when it is too short; nothing allocates.
/// </summary>
public static class WireStruct
{
    /// <summary>Copies a <typeparamref name="T"/> out of the first <c>T.Size</c> bytes of <paramref name="source"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="source"/> is shorter than the struct.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Read<T>(ReadOnlySpan<byte> source) where T : unmanaged, IWireStruct<T>
    {
        if (source.Length < T.Size) WireThrow.TooShort(nameof(source), T.SchemaName, T.Size, source.Length);
        return MemoryMarshal.Read<T>(source);
    }

    /// <summary>
    /// Copies a <typeparamref name="T"/> out of <paramref name="source"/>, which may be shorter than the struct: the
    /// bytes it lacks read as zero (an older, shorter form of a payload, such as the 8-byte modify-ring option).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ReadPrefix<T>(ReadOnlySpan<byte> source) where T : unmanaged, IWireStruct<T>
    {
        if (source.Length >= T.Size) return MemoryMarshal.Read<T>(source);
        T value = default;
        source.CopyTo(MemoryMarshal.AsBytes(new Span<T>(ref value)));
        return value;
    }

    /// <summary>Copies <paramref name="value"/>'s wire bytes into the first <c>T.Size</c> bytes of <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than the struct.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write<T>(in T value, Span<byte> destination) where T : unmanaged, IWireStruct<T>
    {
        if (destination.Length < T.Size) WireThrow.TooShort(nameof(destination), T.SchemaName, T.Size, destination.Length);
        MemoryMarshal.Write(destination, in value);
    }

    /// <summary>A view of the first <c>T.Size</c> bytes of <paramref name="bytes"/> as a <typeparamref name="T"/>, read and written in place.</summary>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is shorter than the struct.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref T AsRef<T>(Span<byte> bytes) where T : unmanaged, IWireStruct<T>
    {
        if (bytes.Length < T.Size) WireThrow.TooShort(nameof(bytes), T.SchemaName, T.Size, bytes.Length);
        return ref MemoryMarshal.AsRef<T>(bytes.Slice(0, T.Size));
    }

    /// <summary>A read-only view of the first <c>T.Size</c> bytes of <paramref name="bytes"/> as a <typeparamref name="T"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is shorter than the struct.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref readonly T AsReadOnly<T>(ReadOnlySpan<byte> bytes) where T : unmanaged, IWireStruct<T>
    {
        if (bytes.Length < T.Size) WireThrow.TooShort(nameof(bytes), T.SchemaName, T.Size, bytes.Length);
        return ref MemoryMarshal.AsRef<T>(bytes.Slice(0, T.Size));
    }
}
