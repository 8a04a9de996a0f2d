using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace Gvnic.Simulator.Queues;

/// <summary>
/// How a DQO device writes one completion ring: each completion goes into an internal line of
/// <see cref="SimulatedDeviceConfig.DqoCompletionLineBytes"/> bytes (the ring's entries in aligned groups: 16 TX or 4 RX
/// completions to a 128-byte line), and the line reaches host memory only when it is full or when the ring's notification
/// block fires (<see cref="WriteBack"/>); a line written back early keeps collecting, and only its new entries are written
/// later. With a line size of 0 every completion is written at once.
/// Every completion reaches host memory as a device's single DMA write of it appears to a driver polling from another
/// thread: the 16-bit word that carries the generation bit last, after the rest, so the driver never sees this lap's
/// generation over the last lap's (or a half-written) body.
/// </summary>
internal sealed class CompletionLine
{
    private readonly IQueueHost _host;
    private readonly ulong _ring;
    private readonly int _entries;
    private readonly int _entrySize;
    private readonly int _perLine;
    private readonly byte[] _line;
    private readonly byte[] _staged;
    private readonly int _ownershipWord;
    private readonly int _queue;
    private readonly string _what;
    private int _lineStart = -1;
    private int _filled;
    private int _written;

    /// <summary>
    /// A ring of <paramref name="entries"/> completions of <paramref name="entrySize"/> bytes at <paramref name="ring"/>, whose
    /// generation bit lies in the 16-bit word at byte <paramref name="ownershipWord"/> of each completion.
    /// </summary>
    public CompletionLine(IQueueHost host, ulong ring, int entries, int entrySize, int ownershipWord, int queue, string what)
    {
        if ((uint)ownershipWord > (uint)(entrySize - 2)) throw new ArgumentOutOfRangeException(nameof(ownershipWord), ownershipWord, "the generation word must lie inside the " + entrySize + "-byte completion");
        _ownershipWord = ownershipWord;
        _staged = new byte[entrySize];
        _host = host;
        _ring = ring;
        _entries = entries;
        _entrySize = entrySize;
        _queue = queue;
        _what = what;
        int lineBytes = host.Config.DqoCompletionLineBytes;
        _perLine = lineBytes == 0 ? 0 : Math.Min(Math.Max(1, lineBytes / entrySize), entries);
        _line = new byte[_perLine * entrySize];
    }

    /// <summary>Completions the device has made that host memory does not show yet.</summary>
    public int Held => _filled - _written;

    /// <summary>Lines written to host memory because they filled up.</summary>
    public long FullLines { get; private set; }

    /// <summary>Write-backs of a partly filled line (the notification block fired).</summary>
    public long PartialWriteBacks { get; private set; }

    /// <summary>
    /// Where to build completion <paramref name="index"/> (the next one of the ring): a slot of the line, or with no line
    /// a staging entry that <see cref="Commit"/> writes. False when host memory cannot be reached (recorded as a violation).
    /// </summary>
    public bool TryOpen(int index, out Span<byte> entry)
    {
        if (_perLine == 0)
        {
            entry = _staged;
            return _host.TryDma(_ring + (ulong)index * (ulong)_entrySize, _entrySize, _queue, index, _what, out _);
        }
        int start = index - index % _perLine;
        if (start != _lineStart)
        {
            WriteBack();
            _lineStart = start;
            _filled = 0;
            _written = 0;
            Array.Clear(_line);
        }
        entry = _line.AsSpan((index - start) * _entrySize, _entrySize);
        return true;
    }

    /// <summary>Completion <paramref name="index"/> is built: a full line goes to host memory.</summary>
    public void Commit(int index)
    {
        if (_perLine == 0)
        {
            if (_host.TryDma(_ring + (ulong)index * (ulong)_entrySize, _entrySize, _queue, index, _what, out Span<byte> slot))
                Publish(_staged, slot);
            return;
        }
        _filled = index - _lineStart + 1;
        if (_filled == _perLine)
        {
            WriteBack();
            FullLines++;
        }
    }

    /// <summary>Writes the completions of the line host memory does not show yet (the block fired, or the line is full).</summary>
    public void WriteBack()
    {
        if (_perLine == 0 || _filled == _written) return;
        if (_filled < _perLine) PartialWriteBacks++;
        int first = _lineStart + _written;
        int count = _filled - _written;
        _written = _filled;
        if (!_host.TryDma(_ring + (ulong)first * (ulong)_entrySize, (long)count * _entrySize, _queue, first, _what, out Span<byte> dst)) return;
        ReadOnlySpan<byte> held = _line.AsSpan((first - _lineStart) * _entrySize, count * _entrySize);
        for (int at = 0; at < held.Length; at += _entrySize)
            Publish(held.Slice(at, _entrySize), dst.Slice(at, _entrySize));
    }

    /// <summary>One completion into host memory: everything but the generation word, then that word.</summary>
    private void Publish(ReadOnlySpan<byte> completion, Span<byte> slot)
    {
        int word = _ownershipWord;
        completion[..word].CopyTo(slot);
        completion[(word + 2)..].CopyTo(slot[(word + 2)..]);
        Volatile.Write(ref Unsafe.As<byte, ushort>(ref slot[word]), MemoryMarshal.Read<ushort>(completion[word..]));
    }

    /// <summary>The number of entries in the ring.</summary>
    public int Entries => _entries;
}
