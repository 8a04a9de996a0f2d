namespace Gvnic.Cli;

/// <summary>The exit codes of every gvnic command.</summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Ok = 0;

    /// <summary>The device or the platform failed (an admin command error, a timeout, a VFIO call).</summary>
    public const int DeviceError = 1;

    /// <summary>Bad input: an unknown command, type, field or value, a missing file, no such device.</summary>
    public const int BadInput = 2;

    /// <summary><c>gvnic up</c> was stopped by Ctrl-C (SIGINT) or SIGTERM and tore the device down (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
