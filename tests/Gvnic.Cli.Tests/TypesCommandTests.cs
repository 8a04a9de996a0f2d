using System.Linq;
using System.Text.Json;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Cli.Tests;

public class TypesCommandTests
{
    [Fact]
    public void Lists_every_schema_type_with_its_size()
    {
        var run = Cli.Run("types").Ok();
        var lines = run.Out.Split('\n');
        foreach (var type in GvnicCatalog.Types)
        {
            var line = lines.SingleOrDefault(l => l.Split(' ', System.StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() == type.Name);
            Assert.True(line is not null, type.Name + " is not listed");
            var words = line!.Split(' ', System.StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(type.Size.ToString(), words[1]);
            Assert.Equal(type.Order, words[2]);
        }
        Assert.Contains(GvnicCatalog.Types.Count + " types, " + GvnicCatalog.Enums.Count + " enums.", run.Out);
        Assert.Contains("  tx_pkt_desc_dqo", run.Out);
    }

    [Fact]
    public void Json_has_every_type_in_schema_order()
    {
        var run = Cli.Run("types", "--json").Ok();
        using var doc = JsonDocument.Parse(run.Out);
        var items = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(GvnicCatalog.Types.Count, items.Count);
        for (int i = 0; i < items.Count; i++)
        {
            Assert.Equal(GvnicCatalog.Types[i].Name, items[i].GetProperty("name").GetString());
            Assert.Equal(GvnicCatalog.Types[i].Size, items[i].GetProperty("size").GetInt32());
        }
        var admin = items.Single(i => i.GetProperty("name").GetString() == "adminq_command");
        Assert.Equal(64, admin.GetProperty("size").GetInt32());
        Assert.Equal("big", admin.GetProperty("order").GetString());
    }
}
