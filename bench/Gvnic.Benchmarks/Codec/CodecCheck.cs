using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace Gvnic.Benchmarks.Codec;

/// <summary>
/// Keeps the codec benchmarks honest: every write variant, run on a cleared ring, must leave the same bytes as the
/// generated writer, and every read variant must return the same value as the generated reader. Run with
/// <c>codec-check</c> before trusting a table; exits non-zero on the first difference.
/// </summary>
internal static class CodecCheck
{
    private static readonly string[] Variants = ["HandWritten", "PlainCopy", "Naive", "Composed", "Template", "TemplateInPlace"];

    public static int Run()
    {
        int checks = 0;
        foreach (Type type in new[] { typeof(GqiCodecBenchmarks), typeof(DqoCodecBenchmarks), typeof(AdminCodecBenchmarks) })
        {
            object bench = Activator.CreateInstance(type)!;
            type.GetMethod("Setup")!.Invoke(bench, null);
            var ring = (byte[])type.GetField("_ring", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(bench)!;
            IEnumerable<MethodInfo> generated = type.GetMethods().Where(m => m.Name.EndsWith("Generated", StringComparison.Ordinal));
            foreach (MethodInfo gen in generated)
            {
                string stem = gen.Name[..^"Generated".Length];
                bool write = gen.ReturnType == typeof(void);
                byte[]? expectedBytes = null;
                object? expectedValue = null;
                if (write)
                {
                    Array.Clear(ring);
                    gen.Invoke(bench, null);
                    expectedBytes = (byte[])ring.Clone();
                }
                else expectedValue = gen.Invoke(bench, null);
                foreach (string v in Variants)
                {
                    MethodInfo? m = type.GetMethod(stem + v);
                    if (m is null && v is "Composed" or "Template" or "TemplateInPlace") continue; // only some descriptors have these writers
                    if (m is null) throw new InvalidOperationException(type.Name + "." + stem + v + " is missing");
                    if (write)
                    {
                        Array.Clear(ring);
                        m.Invoke(bench, null);
                        int at = ring.AsSpan().CommonPrefixLength(expectedBytes);
                        if (at != ring.Length) return Fail(type.Name + "." + m.Name + " writes byte " + at + " = 0x" + ring[at].ToString("X2") + ", the generated writer 0x" + expectedBytes![at].ToString("X2"));
                    }
                    else if (v != "PlainCopy")
                    {
                        object? got = m.Invoke(bench, null);
                        if (!Equals(got, expectedValue)) return Fail(type.Name + "." + m.Name + " reads " + got + ", the generated reader " + expectedValue);
                    }
                    checks++;
                }
            }
        }
        Console.WriteLine("codec-check: " + checks + " variants agree with the generated code");
        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine("codec-check: " + message);
        return 1;
    }
}
