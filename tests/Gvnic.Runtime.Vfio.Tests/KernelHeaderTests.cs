using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Gvnic.Runtime.Vfio.Interop;
using Xunit;

namespace Gvnic.Runtime.Vfio.Tests;

/// <summary>
/// Runs only where a C compiler and the kernel's UAPI headers are installed (gcc and linux/vfio.h, as on CI);
/// elsewhere the tests are reported as skipped with the reason.
/// </summary>
public sealed class NeedsGccAndVfioHeaderFactAttribute : FactAttribute
{
    public NeedsGccAndVfioHeaderFactAttribute()
    {
        if (KernelHeader.Gcc is null) Skip = "needs gcc on PATH to compile a program against linux/vfio.h (apt-get install gcc linux-libc-dev)";
        else if (!File.Exists(KernelHeader.VfioHeader)) Skip = "needs the kernel UAPI header " + KernelHeader.VfioHeader + " (apt-get install linux-libc-dev)";
    }
}

/// <summary>Compiles and runs a C program that prints what linux/vfio.h says, as "name value" lines.</summary>
internal static class KernelHeader
{
    public const string VfioHeader = "/usr/include/linux/vfio.h";

    public static string? Gcc { get; } = FindOnPath("gcc");

    private static string? FindOnPath(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }

        return null;
    }

    /// <summary>Compiles <paramref name="body"/> (statements of main) with the headers included and returns its output lines as a map.</summary>
    public static Dictionary<string, long> Run(string body)
    {
        string dir = Path.Combine(Path.GetTempPath(), "gvnic-vfio-abi-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string source = Path.Combine(dir, "abi.c");
            string program = Path.Combine(dir, "abi");
            File.WriteAllText(source,
                "#include <stdio.h>\n#include <stddef.h>\n#include <linux/ioctl.h>\n#include <linux/vfio.h>\n"
                + "#define P(name, value) printf(\"%s %lld\\n\", name, (long long)(value))\n"
                + "int main(void) {\n" + body + "return 0;\n}\n");
            var (compileCode, compileOut) = Exec(Gcc!, "-std=gnu11 -Wall -Werror -o " + program + " " + source);
            Assert.True(compileCode == 0, "gcc could not compile the program against " + VfioHeader + " (a name we use is missing or differs):\n" + compileOut + "\n" + File.ReadAllText(source));
            var (runCode, output) = Exec(program, "");
            Assert.True(runCode == 0, "the compiled program exited with " + runCode + ":\n" + output);
            var values = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                int space = line.LastIndexOf(' ');
                values[line[..space]] = long.Parse(line[(space + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }

            return values;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static (int Code, string Output) Exec(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), file + " did not finish in 60 s");
        return (process.ExitCode, stdout + stderr.Result);
    }
}

/// <summary>
/// The ABI as the kernel's own header defines it: a C program built with gcc against <c>linux/vfio.h</c> prints every
/// ioctl number, constant, <c>sizeof</c> and <c>offsetof</c> this backend uses, and each must equal the C# value.
/// </summary>
public sealed class KernelHeaderTests
{
    /// <summary>Every VFIO_* constant and ioctl number of <see cref="VfioAbi"/>, and the _IOC_* encoding constants.</summary>
    private static Dictionary<string, long> OurConstants()
    {
        var ours = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var field in typeof(VfioAbi).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            object value = field.GetValue(null)!;
            long number = value is char c ? c : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
            if (value is int request && field.IsInitOnly) number = (uint)request; // ioctl numbers are unsigned in C
            if (field.Name.StartsWith("VFIO_", StringComparison.Ordinal)) ours[field.Name] = number;
            else if (field.Name.StartsWith("IOC_", StringComparison.Ordinal)) ours["_" + field.Name] = number;
        }

        return ours;
    }

    private static IEnumerable<Type> Structs() => typeof(VfioAbi).Assembly.GetTypes()
        .Where(t => t.IsValueType && t.Namespace == typeof(VfioAbi).Namespace && t.Name.StartsWith("vfio_", StringComparison.Ordinal))
        .OrderBy(t => t.Name, StringComparer.Ordinal);

    [NeedsGccAndVfioHeaderFact]
    public void EveryConstantAndIoctlNumberEqualsTheHeaders()
    {
        var ours = OurConstants();
        Assert.Contains("VFIO_IOMMU_MAP_DMA", ours.Keys);
        Assert.Contains("_IOC_DIRSHIFT", ours.Keys);
        var body = new StringBuilder();
        foreach (string name in ours.Keys) body.Append("P(\"").Append(name).Append("\", ").Append(name).Append(");\n");
        var kernel = KernelHeader.Run(body.ToString());

        var mismatches = ours.Where(o => kernel[o.Key] != o.Value).Select(o => o.Key + ": ours 0x" + o.Value.ToString("X") + ", linux/vfio.h 0x" + kernel[o.Key].ToString("X")).ToList();
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        Assert.Equal(ours.Count, kernel.Count);
    }

    [NeedsGccAndVfioHeaderFact]
    public void EveryStructureHasTheHeadersSizeAndFieldOffsets()
    {
        var structs = Structs().ToList();
        Assert.Equal(["vfio_device_info", "vfio_group_status", "vfio_iommu_type1_dma_map", "vfio_iommu_type1_dma_unmap", "vfio_irq_info", "vfio_irq_set", "vfio_region_info"], structs.Select(s => s.Name));
        var body = new StringBuilder();
        foreach (var type in structs)
        {
            body.Append("P(\"sizeof ").Append(type.Name).Append("\", sizeof(struct ").Append(type.Name).Append("));\n");
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
            {
                if (IsDeviceInfoPad(type, field.Name)) continue; // not in every header version: checked below
                body.Append("P(\"offsetof ").Append(type.Name).Append('.').Append(field.Name).Append("\", offsetof(struct ").Append(type.Name).Append(", ").Append(field.Name).Append("));\n");
                body.Append("P(\"sizeof ").Append(type.Name).Append('.').Append(field.Name).Append("\", sizeof(((struct ").Append(type.Name).Append("*)0)->").Append(field.Name).Append("));\n");
            }
        }

        body.Append("P(\"offsetof vfio_irq_set.data\", offsetof(struct vfio_irq_set, data));\n");
        var kernel = KernelHeader.Run(body.ToString());

        var mismatches = new List<string>();
        foreach (var type in structs)
        {
            long ourSize = Marshal.SizeOf(type);
            long theirSize = kernel["sizeof " + type.Name];
            if (type.Name == "vfio_device_info")
            {
                // Headers since Linux 6.x end with `__u32 pad` (24 bytes); older ones end at cap_offset (20 bytes), and
                // their kernels copy back only the 20 bytes they know. Ours is the newer layout, a superset of both.
                Assert.Equal(24, ourSize);
                Assert.Contains(theirSize, new long[] { 20, 24 });
                Assert.Equal(20, (long)Marshal.OffsetOf(type, "pad"));
            }
            else if (ourSize != theirSize)
            {
                mismatches.Add("sizeof(struct " + type.Name + "): ours " + ourSize + ", linux/vfio.h " + theirSize);
            }

            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
            {
                if (IsDeviceInfoPad(type, field.Name)) continue;
                long ourOffset = (long)Marshal.OffsetOf(type, field.Name);
                long theirOffset = kernel["offsetof " + type.Name + "." + field.Name];
                if (ourOffset != theirOffset) mismatches.Add("offsetof(struct " + type.Name + ", " + field.Name + "): ours " + ourOffset + ", linux/vfio.h " + theirOffset);
                long ourFieldSize = Marshal.SizeOf(field.FieldType);
                long theirFieldSize = kernel["sizeof " + type.Name + "." + field.Name];
                if (ourFieldSize != theirFieldSize) mismatches.Add("sizeof(" + type.Name + "." + field.Name + "): ours " + ourFieldSize + ", linux/vfio.h " + theirFieldSize);
            }
        }

        // The eventfd payload of VFIO_DEVICE_SET_IRQS starts right after our header struct.
        Assert.Equal(Marshal.SizeOf<vfio_irq_set>(), kernel["offsetof vfio_irq_set.data"]);
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [NeedsGccAndVfioHeaderFact]
    public void TheProgramReportsTheHeadersValuesAndFailsOnANameItLacks()
    {
        var values = KernelHeader.Run("P(\"sizeof vfio_group_status\", sizeof(struct vfio_group_status));\nP(\"VFIO_TYPE\", VFIO_TYPE);\n");
        Assert.Equal(8, values["sizeof vfio_group_status"]);
        Assert.Equal(';', values["VFIO_TYPE"]);
        var missing = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => KernelHeader.Run("P(\"VFIO_NO_SUCH_REQUEST\", VFIO_NO_SUCH_REQUEST);\n"));
        Assert.Contains("gcc could not compile the program against /usr/include/linux/vfio.h", missing.Message);
        Assert.Contains("VFIO_NO_SUCH_REQUEST", missing.Message);
    }

    private static bool IsDeviceInfoPad(Type type, string field) => type.Name == "vfio_device_info" && field == "pad";
}
