using System;
using System.Collections.Generic;
using System.Linq;

namespace Gvnic.Runtime.Vfio;

/// <summary>The PCI function is not ready for VFIO; <see cref="Problems"/> lists each problem with its fix.</summary>
public sealed class VfioSetupException : VfioException
{
    /// <summary>Creates the exception from the problems found.</summary>
    public VfioSetupException(string address, IReadOnlyList<PciProblem> problems)
        : this(address, "PCI function " + address + " cannot be opened with VFIO:", problems)
    {
    }

    /// <summary>Creates the exception with its own first line, e.g. when no address was given.</summary>
    public VfioSetupException(string target, string lead, IReadOnlyList<PciProblem> problems)
        : base("check", target, lead + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p.ToString())))
    {
        Problems = problems;
    }

    /// <summary>The problems, most fundamental first.</summary>
    public IReadOnlyList<PciProblem> Problems { get; }
}
