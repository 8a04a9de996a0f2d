using System.Linq;
using Gvnic.Cli.Schema;
using Gvnic.Wire;

namespace Gvnic.Cli.Commands;

/// <summary>Looks schema types up by the name a person typed.</summary>
internal static class Catalog
{
    /// <summary>The type named <paramref name="name"/>, or a <see cref="UsageException"/> naming TYPE with a suggestion.</summary>
    public static WireType RequireType(string name)
    {
        var type = GvnicCatalog.FindType(name);
        if (type is not null) return type;
        var lower = GvnicCatalog.FindType(name.ToLowerInvariant());
        if (lower is not null) return lower;
        var closest = Suggest.Closest(name, GvnicCatalog.Types.Select(t => t.Name));
        throw new UsageException("TYPE '" + name + "' is not a schema type ("
            + (closest is null ? "" : "did you mean " + closest + "? ") + "see 'gvnic types')");
    }
}
