using System;
using System.Globalization;

namespace Gvnic.SchemaFuzz.Tests;

/// <summary>
/// How many cases to run and from which seed. CI uses the defaults (fixed, so every run checks the same
/// cases); a soak sets the environment variables (docs/reliability.md, "Schema fuzzing"):
/// <list type="bullet">
/// <item><c>GVNIC_SCHEMA_FUZZ_CASES</c>: byte plus structure mutations (default 10,000, half each);</item>
/// <item><c>GVNIC_SCHEMA_FUZZ_SEED</c>: the master seed (default 20261125);</item>
/// <item><c>GVNIC_SCHEMA_FUZZ_GENERATOR_CASES</c>: cases also run through the Roslyn generator driver (default 500);</item>
/// <item><c>GVNIC_SCHEMA_FUZZ_LINT_EVERY</c>: every how many cases schema-lint check runs in-process too (default 10);</item>
/// <item><c>GVNIC_SCHEMA_FUZZ_COMPILES</c>: distinct error-free outputs compiled with Roslyn (default 3);</item>
/// <item><c>GVNIC_SCHEMA_FUZZ_BROKEN_COMPILES</c>: distinct outputs of schemas with errors compiled with Roslyn (default 4);</item>
/// <item><c>GVNIC_SCHEMA_FUZZ_ONLY</c>: one case to replay, as printed in a failure: <c>bytes:1234</c> or <c>tree:77</c>.</item>
/// </list>
/// </summary>
internal static class FuzzSettings
{
    public const int DefaultSeed = 20261125;

    public static int Cases => Int("GVNIC_SCHEMA_FUZZ_CASES", 10_000);

    public static int Seed => Int("GVNIC_SCHEMA_FUZZ_SEED", DefaultSeed);

    public static int GeneratorCases => Int("GVNIC_SCHEMA_FUZZ_GENERATOR_CASES", 500);

    /// <summary>Every how many cases schema-lint check also runs (default 10; 1 runs it on all).</summary>
    public static int LintEvery => Math.Max(1, Int("GVNIC_SCHEMA_FUZZ_LINT_EVERY", 10));

    public static int Compiles => Int("GVNIC_SCHEMA_FUZZ_COMPILES", 3);

    public static int BrokenCompiles => Int("GVNIC_SCHEMA_FUZZ_BROKEN_COMPILES", 4);

    /// <summary>The one case to run ("bytes:N" or "tree:N"), or null for all.</summary>
    public static (string Kind, int Index)? Only
    {
        get
        {
            var value = Environment.GetEnvironmentVariable("GVNIC_SCHEMA_FUZZ_ONLY");
            if (string.IsNullOrWhiteSpace(value)) return null;
            var parts = value.Split(':');
            if (parts.Length != 2 || (parts[0] != FuzzCase.Bytes && parts[0] != FuzzCase.Tree) || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                throw new InvalidOperationException("GVNIC_SCHEMA_FUZZ_ONLY must be bytes:N or tree:N, not '" + value + "'");
            return (parts[0], index);
        }
    }

    private static int Int(string name, int fallback)
    {
        var value = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(value)) return fallback;
        if (!int.TryParse(value.Replace("_", ""), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            throw new InvalidOperationException(name + " must be a non-negative integer, not '" + value + "'");
        return parsed;
    }
}
