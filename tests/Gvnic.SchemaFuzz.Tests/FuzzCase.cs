using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Gvnic.SchemaFuzz.Tests;

/// <summary>
/// One mutated schema: which kind, its index and seed, the mutations applied (described), and the bytes.
/// A case depends only on (master seed, kind, index), so any one of them can be replayed alone.
/// </summary>
internal sealed record FuzzCase(string Kind, int Index, int MasterSeed, IReadOnlyList<string> Mutations, byte[] Data)
{
    public const string Bytes = "bytes";
    public const string Tree = "tree";

    private static readonly Lazy<byte[]> BaseBytes = new(() => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "schema", "gvnic.yaml")));

    private static readonly Lazy<FNode> BaseTree = new(() => FNode.Parse(Encoding.UTF8.GetString(BaseBytes.Value)));

    /// <summary>The unmutated schema/gvnic.yaml.</summary>
    public static byte[] Original => BaseBytes.Value;

    public static FuzzCase Make(string kind, int index, int masterSeed)
    {
        var rng = new Random(CaseSeed(kind, index, masterSeed));
        var log = new List<string>();
        byte[] data = kind == Bytes
            ? ByteMutator.Mutate(BaseBytes.Value, rng, log)
            : Encoding.UTF8.GetBytes(TreeMutator.Mutate(BaseTree.Value, rng, log));
        return new FuzzCase(kind, index, masterSeed, log, data);
    }

    /// <summary>A well-mixed 31-bit seed from the master seed, the kind and the index (SplitMix64).</summary>
    private static int CaseSeed(string kind, int index, int masterSeed)
    {
        ulong z = (ulong)(uint)masterSeed * 0x9E3779B97F4A7C15UL + (ulong)(uint)index * 0xBF58476D1CE4E5B9UL + (kind == Tree ? 0x94D049BB133111EBUL : 0UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }

    /// <summary>How to name and replay this case in a failure message; the mutated text is saved beside it.</summary>
    public string Describe(string savedTo)
        => "case " + Kind + ":" + Index + " (master seed " + MasterSeed + "), mutations: " + string.Join("; ", Mutations)
           + "\n    replay: GVNIC_SCHEMA_FUZZ_SEED=" + MasterSeed + " GVNIC_SCHEMA_FUZZ_ONLY=" + Kind + ":" + Index
           + " dotnet test tests/Gvnic.SchemaFuzz.Tests\n    mutated text saved to " + savedTo;
}
