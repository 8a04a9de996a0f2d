using System;
using System.Collections.Generic;
using System.Threading;
using Gvnic.Driver;

namespace Gvnic.Cli.Traffic;

/// <summary>
/// The threads of a run: one per worker, each pinned to its <see cref="TrafficWorker.Cpu"/> when it has one, polling
/// its queues without sleeping (it yields when it finds nothing several times in a row, for machines with fewer cores
/// than threads). The monitor can pause every thread at a burst boundary (<see cref="Pause"/>) to run what must not
/// race traffic (the driver's periodic check, a recovery), and stop them.
/// </summary>
internal sealed class WorkerGroup : IDisposable
{
    private const int IdleSpinsBeforeYield = 64;

    private readonly TrafficWorker[] _workers;
    private readonly Thread[] _threads;
    private readonly string?[] _pinProblems;
    private readonly bool[] _pinned;
    private readonly long[] _allocated;
    private readonly CountdownEvent _ready;
    private readonly ManualResetEventSlim _go = new(false);
    private volatile bool _stop;
    private volatile bool _pause;
    private int _paused;
    private Exception? _failure;
    private TrafficWorker? _failed;

    /// <summary>Threads for <paramref name="workers"/>, not started.</summary>
    public WorkerGroup(IReadOnlyList<TrafficWorker> workers)
    {
        _workers = [.. workers];
        _threads = new Thread[_workers.Length];
        _pinProblems = new string?[_workers.Length];
        _pinned = new bool[_workers.Length];
        _allocated = new long[_workers.Length];
        _ready = new CountdownEvent(_workers.Length);
        for (int i = 0; i < _workers.Length; i++)
        {
            int index = i;
            _threads[i] = new Thread(() => Run(index)) { IsBackground = true, Name = _workers[i].Name };
        }
    }

    /// <summary>The workers, in order.</summary>
    public IReadOnlyList<TrafficWorker> Workers => _workers;

    /// <summary>The first exception a worker did not expect (its thread ended), or null.</summary>
    public Exception? Failure => Volatile.Read(ref _failure);

    /// <summary>The worker whose thread ended with <see cref="Failure"/>.</summary>
    public TrafficWorker? Failed => Volatile.Read(ref _failed);

    /// <summary>Whether worker <paramref name="index"/>'s thread runs on its CPU (after <see cref="Start"/>).</summary>
    public bool IsPinned(int index) => _pinned[index];

    /// <summary>Why worker <paramref name="index"/>'s thread is not pinned to its CPU, or null.</summary>
    public string? PinProblem(int index) => _pinProblems[index];

    /// <summary>Bytes worker <paramref name="index"/>'s thread allocated while it ran (after <see cref="Stop"/>).</summary>
    public long AllocatedBytes(int index) => _allocated[index];

    /// <summary>Starts every thread and waits until each has pinned itself; the work starts with <see cref="Go"/>.</summary>
    public void Start()
    {
        foreach (var thread in _threads) thread.Start();
        _ready.Wait();
    }

    /// <summary>Lets the started threads work.</summary>
    public void Go() => _go.Set();

    /// <summary>Whether a worker has a device fault waiting for recovery (its port's <see cref="TrafficPort.Fault"/>).</summary>
    public bool FaultWaiting
    {
        get
        {
            foreach (var worker in _workers)
                foreach (var port in worker.Ports)
                    if (port.Fault is not null) return true;
            return false;
        }
    }

    /// <summary>
    /// Asks every thread to stop at its next burst boundary and waits until all have (or ended); true when they did
    /// within <paramref name="timeout"/>. While paused no thread touches a queue. <see cref="Resume"/> lets them go on.
    /// </summary>
    public bool Pause(TimeSpan timeout)
    {
        _pause = true;
        var deadline = DateTime.UtcNow + timeout;
        var spin = new SpinWait();
        while (Volatile.Read(ref _paused) < Running())
        {
            if (DateTime.UtcNow > deadline) return false;
            spin.SpinOnce(sleep1Threshold: -1);
        }
        return true;
    }

    /// <summary>Ends a <see cref="Pause"/>.</summary>
    public void Resume() => _pause = false;

    /// <summary>Stops every thread and waits for it.</summary>
    public void Stop()
    {
        _stop = true;
        _pause = false;
        _go.Set();
        foreach (var thread in _threads)
            if (thread.ThreadState != ThreadState.Unstarted) thread.Join();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Stop();
        _ready.Dispose();
        _go.Dispose();
    }

    private int Running()
    {
        int running = 0;
        foreach (var thread in _threads) if (thread.IsAlive) running++;
        return running;
    }

    private void Run(int index)
    {
        TrafficWorker worker = _workers[index];
        if (worker.Cpu is int cpu)
        {
            _pinned[index] = CpuAffinity.TryPinCurrentThread(cpu, out string? why);
            _pinProblems[index] = why;
        }
        _ready.Signal();
        _go.Wait();
        long allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
        int idle = 0;
        try
        {
            while (!_stop)
            {
                if (_pause || FaultIn(worker))
                {
                    Park(worker);
                    continue;
                }
                try
                {
                    if (worker.Step() > 0)
                    {
                        idle = 0;
                    }
                    else if (++idle >= IdleSpinsBeforeYield)
                    {
                        idle = 0;
                        Thread.Yield();
                    }
                }
                catch (DeviceFaultException)
                {
                    // The port kept the fault; the monitor pauses everyone and recovers the NIC (Park waits for it).
                }
            }
        }
        catch (Exception e)
        {
            if (Interlocked.CompareExchange(ref _failure, e, null) is null) Volatile.Write(ref _failed, worker);
        }
        finally
        {
            _allocated[index] = GC.GetAllocatedBytesForCurrentThread() - allocatedAtStart;
        }
    }

    private static bool FaultIn(TrafficWorker worker)
    {
        foreach (var port in worker.Ports) if (port.Fault is not null) return true;
        return false;
    }

    /// <summary>Waits, counted as paused, until the pause ends and (after a fault) the NIC was recovered.</summary>
    private void Park(TrafficWorker worker)
    {
        Interlocked.Increment(ref _paused);
        var spin = new SpinWait();
        while (!_stop && (_pause || FaultIn(worker))) spin.SpinOnce(sleep1Threshold: -1); // never a 1 ms sleep: a pause lasts microseconds
        Interlocked.Decrement(ref _paused);
    }
}
