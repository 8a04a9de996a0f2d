namespace Gvnic.Runtime.Vfio;

/// <summary>One problem with a PCI function, what it means and how to fix it.</summary>
/// <param name="Kind">What kind of problem.</param>
/// <param name="Message">What is wrong, naming the device and the files involved.</param>
/// <param name="Fix">The commands or settings that fix it.</param>
public sealed record PciProblem(PciProblemKind Kind, string Message, string Fix)
{
    /// <inheritdoc/>
    public override string ToString() => Message + " Fix: " + Fix;
}
