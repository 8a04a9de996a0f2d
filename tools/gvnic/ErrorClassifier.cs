using System;
using System.IO;

namespace Gvnic.Cli;

/// <summary>Which exit code and one-line message an exception becomes (never a stack trace).</summary>
internal static class ErrorClassifier
{
    /// <summary><see cref="ExitCodes.BadInput"/> for bad input, <see cref="ExitCodes.DeviceError"/> for everything else.</summary>
    public static int ExitCode(Exception e) => e switch
    {
        UsageException => ExitCodes.BadInput,
        Gvnic.Runtime.Vfio.VfioSetupException => ExitCodes.BadInput,
        Gvnic.Driver.NicConfigurationException => ExitCodes.BadInput,
        _ => ExitCodes.DeviceError,
    };

    /// <summary>The message to print after <c>gvnic: </c>.</summary>
    public static string Message(Exception e) => e switch
    {
        UsageException => e.Message,
        Gvnic.Driver.GvnicException or Gvnic.Runtime.Vfio.VfioException or TimeoutException => e.Message,
        IOException or UnauthorizedAccessException => e.Message,
        _ => e.GetType().Name + ": " + e.Message,
    };
}
