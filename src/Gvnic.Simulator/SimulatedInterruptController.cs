using System;
using System.Threading;
using Gvnic.Platform;

namespace Gvnic.Simulator;

/// <summary>The MSI-X vectors of a simulated device: the device raises them, a driver waits on or consumes them.</summary>
public sealed class SimulatedInterruptController : IInterruptController, IMsixSink
{
    private readonly object _gate = new();
    private readonly bool[] _pending;
    private readonly long[] _raised;
    private int _enabled;
    private int _waiters; // threads inside Wait (under the gate): a raise wakes them only when there are some

    /// <summary>Creates <paramref name="vectorCount"/> vectors, all disabled.</summary>
    public SimulatedInterruptController(int vectorCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vectorCount);
        _pending = new bool[vectorCount];
        _raised = new long[vectorCount];
    }

    /// <inheritdoc/>
    public int VectorCount => _pending.Length;

    /// <summary>How many vectors are enabled.</summary>
    public int EnabledCount
    {
        get { lock (_gate) return _enabled; }
    }

    /// <inheritdoc/>
    public void Enable(int count)
    {
        if (count < 0 || count > VectorCount) throw new ArgumentOutOfRangeException(nameof(count), count, "the function has " + VectorCount + " MSI-X vectors");
        lock (_gate) _enabled = count;
    }

    /// <inheritdoc/>
    public void Disable()
    {
        lock (_gate)
        {
            _enabled = 0;
            Array.Clear(_pending);
        }
    }

    /// <inheritdoc/>
    public bool TryConsume(int vector)
    {
        if ((uint)vector >= (uint)VectorCount) return false;
        lock (_gate)
        {
            bool was = _pending[vector];
            _pending[vector] = false;
            return was;
        }
    }

    /// <inheritdoc/>
    public bool Wait(int vector, TimeSpan timeout)
    {
        if ((uint)vector >= (uint)VectorCount) return false;
        long deadline = Environment.TickCount64 + (long)Math.Max(0, timeout.TotalMilliseconds);
        lock (_gate)
        {
            while (!_pending[vector])
            {
                long left = deadline - Environment.TickCount64;
                if (left <= 0) return false;
                _waiters++;
                try
                {
                    Monitor.Wait(_gate, (int)Math.Min(left, int.MaxValue));
                }
                finally
                {
                    _waiters--;
                }
            }
            _pending[vector] = false;
            return true;
        }
    }

    /// <summary>How many times the device raised <paramref name="vector"/> while it was enabled.</summary>
    public long RaisedCount(int vector)
    {
        if ((uint)vector >= (uint)VectorCount) return 0;
        lock (_gate) return _raised[vector];
    }

    /// <summary>The device side: whether <paramref name="vector"/> exists and is enabled.</summary>
    public bool IsEnabled(int vector)
    {
        if ((uint)vector >= (uint)VectorCount) return false;
        return vector < Volatile.Read(ref _enabled); // an int read whole; Enable and Disable write it under the gate
    }

    /// <summary>The device side: raises <paramref name="vector"/>; false when it does not exist or is not enabled (the message is lost, as MSI-X would).</summary>
    public bool Raise(int vector)
    {
        if ((uint)vector >= (uint)VectorCount) return false;
        lock (_gate)
        {
            if (vector >= _enabled) return false;
            _pending[vector] = true;
            _raised[vector]++;
            if (_waiters > 0) Monitor.PulseAll(_gate);
            return true;
        }
    }
}
