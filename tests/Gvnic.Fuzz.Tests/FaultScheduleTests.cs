using System;
using System.IO;
using System.Threading.Tasks;
using CsCheck;
using Gvnic.Simulator.Faults;
using Xunit;
using Xunit.Abstractions;

namespace Gvnic.Fuzz.Tests;

/// <summary>
/// Random fault schedules against the driver (docs/reliability.md): every case must end with no out-of-bounds
/// access, no hang, no unhandled exception, no leaked DMA region, no protocol violation and no frame lost silently.
/// <c>GVNIC_FUZZ_CASES</c> sets the number of cases (10,000 by default; the soak runs a million by hand).
/// </summary>
public class FaultScheduleTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(30);

    private static long Cases => long.TryParse(Environment.GetEnvironmentVariable("GVNIC_FUZZ_CASES"), out long n) && n > 0 ? n : 10_000;

    [Fact]
    public void RandomFaultSchedulesKeepEveryInvariant()
    {
        var totals = new FuzzTotals();
        string? seed = Environment.GetEnvironmentVariable("GVNIC_FUZZ_SEED");
        try
        {
            FuzzCase.Cases.Sample(c => RunGuarded(c, totals), iter: Cases, threads: Environment.ProcessorCount, seed: seed,
                print: c => c.ToString());
        }
        finally
        {
            string report = "gvnic fuzz: " + totals;
            output.WriteLine(report);
            Console.WriteLine(report);
            File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "fuzz-report.txt"), report + Environment.NewLine);
        }
        Assert.Equal(Cases, totals.Cases);
        Assert.True(totals.Opened > totals.Cases / 2, "most cases must bring the device up: " + totals);
        Assert.True(totals.Recoveries > 0 && totals.RxDeviceFaults > 0 && totals.TxDeviceFaults > 0, "the schedules must reach recovery and per-packet faults: " + totals);
        // Every class of issue 15 is drawn, and reached.
        foreach (DeviceFaultKind kind in new[] { DeviceFaultKind.HostileValue, DeviceFaultKind.GqiRxNeverValid, DeviceFaultKind.DqoRxDuplicateCompletion,
                     DeviceFaultKind.AdminSelfReset, DeviceFaultKind.DeviceSelfReset, DeviceFaultKind.AdminEventCounterAhead, DeviceFaultKind.AdminStallAfterCommand,
                     DeviceFaultKind.DeviceIsResetLingers })
            Assert.True(totals.FiredOf(kind) > 0, kind + " never fired: " + totals);
        Assert.True(totals.Tolerated > 0, "no optional-command error was tolerated: " + totals);
        Assert.True(totals.Contended > 0, "no second call on a queue in use was refused: " + totals);
        // RX steering (issue 17): steps ran through, and hostile RSS_CONFIG / FLOW_STEERING values were refused naming their field.
        Assert.True(totals.Steered > 0 && totals.SteerRefused > 0, "steering steps never ran, or no hostile option value was refused: " + totals);
    }

    /// <summary>Runs a case with a time limit and files whatever escapes under the headings before failing.</summary>
    private static void RunGuarded(FuzzCase c, FuzzTotals totals)
    {
        Task<FuzzOutcome> task = Task.Run(() => FuzzRunner.Run(c));
        bool finished;
        try
        {
            finished = task.Wait(CaseTimeout);
        }
        catch (AggregateException e) when (e.InnerException is not null)
        {
            Exception inner = e.InnerException;
            switch (inner)
            {
                case IndexOutOfRangeException or ArgumentOutOfRangeException or AccessViolationException:
                    totals.OutOfBounds++;
                    break;
                case FuzzFailure f when f.Message.StartsWith("out-of-bounds", StringComparison.Ordinal):
                    totals.OutOfBounds++;
                    break;
                case FuzzFailure f when f.Message.StartsWith("leak", StringComparison.Ordinal):
                    totals.Leaks++;
                    break;
                case FuzzFailure:
                    totals.Invariants++;
                    break;
                default:
                    totals.Unhandled++;
                    break;
            }
            throw new FuzzFailure(inner.GetType().Name + ": " + inner.Message + " in case " + c, inner);
        }
        if (!finished)
        {
            totals.Hangs++;
            throw new FuzzFailure("hang: the case did not finish in " + CaseTimeout.TotalSeconds + " s: " + c);
        }
        totals.Add(task.Result);
    }
}
