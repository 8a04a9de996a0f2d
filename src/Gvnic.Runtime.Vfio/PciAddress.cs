using System;
using System.Globalization;

namespace Gvnic.Runtime.Vfio;

/// <summary>A PCI function address in the sysfs form <c>dddd:bb:ss.f</c> (domain, bus, slot, function).</summary>
public readonly record struct PciAddress
{
    private PciAddress(int domain, int bus, int slot, int function)
    {
        Domain = domain;
        Bus = bus;
        Slot = slot;
        Function = function;
    }

    /// <summary>The PCI domain (segment), 0 … 0xFFFF.</summary>
    public int Domain { get; }

    /// <summary>The bus number, 0 … 0xFF.</summary>
    public int Bus { get; }

    /// <summary>The device (slot) number, 0 … 0x1F.</summary>
    public int Slot { get; }

    /// <summary>The function number, 0 … 7.</summary>
    public int Function { get; }

    /// <summary>Parses <c>0000:00:04.0</c> or the short form <c>00:04.0</c> (domain 0); hex digits in either case.</summary>
    /// <exception cref="FormatException">The text is not a PCI address.</exception>
    public static PciAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TryParse(text, out var address)) return address;
        throw new FormatException("'" + text + "' is not a PCI address; expected the form 0000:00:04.0 (domain:bus:slot.function, as lspci -D prints it)");
    }

    /// <summary>Parses like <see cref="Parse"/>; false when the text is not a PCI address.</summary>
    public static bool TryParse(string? text, out PciAddress address)
    {
        address = default;
        if (text is null) return false;
        var s = text.Trim();
        string[] parts = s.Split(':');
        int domain = 0;
        if (parts.Length == 3)
        {
            if (parts[0].Length != 4 || !TryHex(parts[0], out domain)) return false;
            parts = [parts[1], parts[2]];
        }
        else if (parts.Length != 2)
        {
            return false;
        }

        if (parts[0].Length != 2 || !TryHex(parts[0], out int bus)) return false;
        string[] slotFunction = parts[1].Split('.');
        if (slotFunction.Length != 2 || slotFunction[0].Length != 2 || slotFunction[1].Length != 1) return false;
        if (!TryHex(slotFunction[0], out int slot) || slot > 0x1F) return false;
        if (!int.TryParse(slotFunction[1], NumberStyles.None, CultureInfo.InvariantCulture, out int function) || function > 7) return false;
        address = new PciAddress(domain, bus, slot, function);
        return true;
    }

    private static bool TryHex(string text, out int value)
        => int.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);

    /// <summary>The sysfs form, lower-case hex: <c>0000:00:04.0</c>.</summary>
    public override string ToString()
        => Domain.ToString("x4", CultureInfo.InvariantCulture) + ":" + Bus.ToString("x2", CultureInfo.InvariantCulture) + ":"
           + Slot.ToString("x2", CultureInfo.InvariantCulture) + "." + Function.ToString(CultureInfo.InvariantCulture);
}
