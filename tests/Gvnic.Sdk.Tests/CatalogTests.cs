using System;
using System.Linq;
using System.Reflection;
using Gvnic.Sdk.Tests.Support;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Sdk.Tests;

public class CatalogTests
{
    [Fact]
    public void Catalog_CoversEveryGeneratedStruct()
    {
        var generated = typeof(AdminqCommand).Assembly.GetTypes()
            .Where(t => t.IsValueType && !t.IsEnum && t.Namespace == "Gvnic.Wire"
                        && t.GetField("SchemaName", BindingFlags.Public | BindingFlags.Static) is not null
                        && t.GetField("Size", BindingFlags.Public | BindingFlags.Static) is not null)
            .Select(t => t.FullName!)
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray();
        var catalog = WireCatalog.All.Select(c => c.Type.FullName!).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        Assert.Equal(65 + 37, catalog.Length); // admin queue, GQI and DQO; the mailbox of the 0x0043 gVNIC
        Assert.Equal(generated, catalog);
    }

    [Theory]
    [MemberData(nameof(WireCatalog.Cases), MemberType = typeof(WireCatalog))]
    public void Size_MatchesReference(WireCase c)
    {
        Assert.Equal(c.ReferenceSize, c.GeneratedSize);
        Assert.Equal(c.ReferenceSize, c.ClrSize);
        Assert.Equal(c.SchemaName, c.GeneratedSchemaName);
    }
}
