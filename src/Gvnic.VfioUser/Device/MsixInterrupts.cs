using System;
using System.Threading;
using Gvnic.VfioUser.Interop;

namespace Gvnic.VfioUser.Device;

/// <summary>
/// The MSI-X vectors of the served function, as the vfio-user client configures them: the client hands the server
/// one eventfd per vector (DEVICE_SET_IRQS, index MSI-X, DATA_EVENTFD | ACTION_TRIGGER) and the server raises a
/// vector by adding 1 to its eventfd; the client (QEMU) turns that into the guest's MSI write, honouring the MSI-X
/// table it emulates. A vector raised while it has no eventfd is left pending (its PBA bit set) and fires as soon
/// as the client gives it one. Thread-safe: the device raises vectors from any thread.
/// </summary>
public sealed class MsixInterrupts
{
    private readonly object _gate = new();
    private readonly int[] _eventFds;
    private readonly ulong[] _pending;
    private long _delivered;
    private long _leftPending;
    private long _signalFailures;

    /// <summary>A function with <paramref name="count"/> vectors, none assigned.</summary>
    public MsixInterrupts(int count)
    {
        if (count is < 1 or > 2048) throw new ArgumentOutOfRangeException(nameof(count), count, "a function has 1 to 2048 MSI-X vectors");
        _eventFds = new int[count];
        _eventFds.AsSpan().Fill(-1);
        _pending = new ulong[(count + 63) / 64];
    }

    /// <summary>Number of vectors.</summary>
    public int Count => _eventFds.Length;

    /// <summary>Interrupts written to an eventfd.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Raises that found no eventfd and set the vector's pending bit.</summary>
    public long LeftPending => Interlocked.Read(ref _leftPending);

    /// <summary>Writes to an eventfd that the kernel refused (the vector was then left pending).</summary>
    public long SignalFailures => Interlocked.Read(ref _signalFailures);

    /// <summary>
    /// Raises vector <paramref name="vector"/>: true when it went to the client's eventfd, false when it was left
    /// pending because the client has not given the vector an eventfd (or the write failed).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The function has no such vector.</exception>
    public bool Raise(int vector)
    {
        if ((uint)vector >= (uint)_eventFds.Length)
            throw new ArgumentOutOfRangeException(nameof(vector), vector, $"the function has MSI-X vectors 0 to {_eventFds.Length - 1}");
        lock (_gate)
        {
            if (Signal(vector)) return true;
            _pending[vector >> 6] |= 1UL << (vector & 63);
            _leftPending++;
            return false;
        }
    }

    /// <summary>Whether vector <paramref name="vector"/> has its pending bit set.</summary>
    public bool IsPending(int vector)
    {
        if ((uint)vector >= (uint)_eventFds.Length) throw new ArgumentOutOfRangeException(nameof(vector));
        lock (_gate) return (_pending[vector >> 6] & (1UL << (vector & 63))) != 0;
    }

    /// <summary>Whether vector <paramref name="vector"/> has an eventfd.</summary>
    public bool IsAssigned(int vector)
    {
        if ((uint)vector >= (uint)_eventFds.Length) throw new ArgumentOutOfRangeException(nameof(vector));
        lock (_gate) return _eventFds[vector] >= 0;
    }

    /// <summary>Word <paramref name="index"/> of the pending-bit array (bit n of word w is vector 64w + n).</summary>
    public ulong PendingWord(int index)
    {
        lock (_gate) return (uint)index < (uint)_pending.Length ? _pending[index] : 0;
    }

    /// <summary>
    /// Gives vectors <paramref name="start"/>.. one eventfd each (taking ownership of the descriptors); a vector's
    /// previous eventfd is closed, and a pending vector fires on its new one at once.
    /// </summary>
    internal void Assign(int start, ReadOnlySpan<int> eventFds)
    {
        lock (_gate)
        {
            for (int i = 0; i < eventFds.Length; i++)
            {
                int vector = start + i;
                if (_eventFds[vector] >= 0) Posix.Close(_eventFds[vector]);
                _eventFds[vector] = eventFds[i];
                ulong bit = 1UL << (vector & 63);
                if ((_pending[vector >> 6] & bit) != 0 && Signal(vector)) _pending[vector >> 6] &= ~bit;
            }
        }
    }

    /// <summary>Takes the eventfds of vectors <paramref name="start"/>..start+count-1 away (closing them).</summary>
    internal void Unassign(int start, int count)
    {
        lock (_gate)
        {
            for (int vector = start; vector < start + count; vector++)
            {
                if (_eventFds[vector] >= 0) Posix.Close(_eventFds[vector]);
                _eventFds[vector] = -1;
            }
        }
    }

    /// <summary>Closes every eventfd (the client disconnected or disabled MSI-X); pending bits stay.</summary>
    internal void UnassignAll() => Unassign(0, _eventFds.Length);

    /// <summary>Clears every pending bit (a function-level reset).</summary>
    internal void ClearPending()
    {
        lock (_gate) _pending.AsSpan().Clear();
    }

    private bool Signal(int vector)
    {
        int fd = _eventFds[vector];
        if (fd < 0) return false;
        if (Posix.EventFdSignal(fd, 1) < 0)
        {
            _signalFailures++;
            return false;
        }

        _delivered++;
        return true;
    }
}
