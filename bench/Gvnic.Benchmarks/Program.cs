using System;
using BenchmarkDotNet.Running;
using Gvnic.Benchmarks.DataPath;
using Gvnic.Benchmarks.Generator;

namespace Gvnic.Benchmarks;

/// <summary>
/// Entry point. <c>datapath [options]</c> runs the data-path sweep harness; <c>generator [options]</c> times the schema
/// generator; <c>zerocopy-tx [--rounds N]</c> times copy against zero-copy transmit; <c>codec-check</c> checks that every codec variant agrees with the generated code; anything else goes to BenchmarkDotNet's switcher (so --filter and --job work).
/// </summary>
public static class Program
{
    /// <summary>Runs the harness or the benchmarks chosen on the command line.</summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "datapath") return DataPathSweep.Run(args[1..]);
        if (args.Length > 0 && args[0] == "codec-check") return Codec.CodecCheck.Run();
        if (args.Length > 0 && args[0] == "generator") return GeneratorTiming.Run(args[1..]);
        if (args.Length > 0 && args[0] == "zerocopy-tx") return ZeroCopyTxTiming.Run(args[1..]);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
