using BenchmarkDotNet.Running;

namespace Gvnic.Benchmarks;

/// <summary>Entry point: BenchmarkDotNet's switcher, so --filter and --job work.</summary>
public static class Program
{
    /// <summary>Runs the benchmarks chosen on the command line.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
