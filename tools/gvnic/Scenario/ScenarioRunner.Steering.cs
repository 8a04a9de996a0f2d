using System;
using System.Globalization;
using System.Linq;
using Gvnic.Driver;
using Spectre.Console;

namespace Gvnic.Cli.Scenario;

/// <summary>--rss and --flow: RX steering set up after bring-up, each step reported.</summary>
internal sealed partial class ScenarioRunner
{
    private void Steering(Nic nic)
    {
        if (_options.Rss)
        {
            try
            {
                int[] table = RssConfiguration.RoundRobin(nic.RssIndirectionTableSize, nic.RxQueueCount);
                nic.ConfigureRss(new RssConfiguration { IndirectionTable = table });
                RssConfiguration now = nic.QueryRss();
                bool same = now.IndirectionTable is int[] read && read.SequenceEqual(table);
                _console.MarkupLine((same ? "[green]✓[/] " : "[red]✗[/] ") + Markup.Escape("RSS: " + nic.RssKeySize + "-byte key, " + table.Length + "-entry table spreading the buckets over "
                    + nic.RxQueueCount + " RX queue" + (nic.RxQueueCount == 1 ? "" : "s") + " round robin, hash types " + now.HashTypes
                    + (same ? "; read back the same" : "; read back a different table")));
            }
            catch (NicConfigurationException e)
            {
                throw new UsageException("--rss: " + e.Message);
            }
        }
        foreach ((string text, FlowRule rule) in _options.Flows)
        {
            try
            {
                int location = nic.AddFlowRule(rule);
                _console.MarkupLine("[green]✓[/] " + Markup.Escape("flow rule " + location.ToString(CultureInfo.InvariantCulture) + ": " + text + " (" + rule.Type + " to RX queue " + rule.Queue + ")"));
            }
            catch (NicConfigurationException e)
            {
                throw new UsageException("--flow '" + text + "': " + e.Message);
            }
            catch (ArgumentException e)
            {
                string message = e.Message;
                int at = message.LastIndexOf(" (Parameter", StringComparison.Ordinal);
                throw new UsageException("--flow '" + text + "': " + (at >= 0 ? message[..at] : message));
            }
        }
    }
}
