using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Gvnic.Cli.Traffic;

/// <summary>
/// Pins the calling thread to one CPU with Linux's <c>sched_setaffinity</c> (.NET sets affinity only per process).
/// Elsewhere, or when the call fails, it says why and the thread stays unpinned.
/// </summary>
internal static partial class CpuAffinity
{
    private const int MaskWords = 16; // a cpu_set_t: 1024 CPUs

    /// <summary>The CPUs this process may run on, in order; null (with <paramref name="why"/>) when they cannot be known.</summary>
    public static IReadOnlyList<int>? AllowedCpus(out string? why)
    {
        why = null;
        if (!OperatingSystem.IsLinux())
        {
            why = "CPU pinning needs Linux (sched_setaffinity); this is " + RuntimeInformation.OSDescription;
            return null;
        }
        var mask = new ulong[MaskWords];
        if (sched_getaffinity(0, (nuint)(mask.Length * sizeof(ulong)), mask) != 0)
        {
            why = "sched_getaffinity failed: " + Marshal.GetLastPInvokeErrorMessage() + " (errno " + Marshal.GetLastPInvokeError() + ")";
            return null;
        }
        var cpus = new List<int>();
        for (int cpu = 0; cpu < mask.Length * 64; cpu++)
            if ((mask[cpu / 64] & (1UL << (cpu % 64))) != 0) cpus.Add(cpu);
        return cpus;
    }

    /// <summary>Pins the calling thread to <paramref name="cpu"/>; false with <paramref name="why"/> when it cannot.</summary>
    public static bool TryPinCurrentThread(int cpu, out string? why)
    {
        why = null;
        if (!OperatingSystem.IsLinux())
        {
            why = "CPU pinning needs Linux (sched_setaffinity)";
            return false;
        }
        if (cpu < 0 || cpu >= MaskWords * 64)
        {
            why = "CPU " + cpu + " is outside the 1024 a cpu_set_t holds";
            return false;
        }
        var mask = new ulong[MaskWords];
        mask[cpu / 64] = 1UL << (cpu % 64);
        if (sched_setaffinity(0, (nuint)(mask.Length * sizeof(ulong)), mask) != 0)
        {
            why = "sched_setaffinity to CPU " + cpu + " failed: " + Marshal.GetLastPInvokeErrorMessage() + " (errno " + Marshal.GetLastPInvokeError() + ")";
            return false;
        }
        return true;
    }

    // pid 0: the calling thread.
    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_setaffinity(int pid, nuint cpusetsize, [In] ulong[] mask);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_getaffinity(int pid, nuint cpusetsize, [Out] ulong[] mask);
}
