using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Linq;
using System.IO;
using Gvnic.Cli.Commands;

namespace Gvnic.Cli;

/// <summary>
/// The gvnic command line: <c>demo</c>, <c>up</c>, <c>serve</c>, <c>gen</c>, <c>sink</c>, <c>fwd</c>, <c>decode</c>, <c>encode</c>, <c>types</c> and <c>trace</c> (docs/cli.md).
/// Callable in-process with any <see cref="CliContext"/>, so tests run commands without starting processes.
/// </summary>
public static class GvnicApp
{
    /// <summary>
    /// Runs <paramref name="args"/>. Returns <see cref="ExitCodes.Ok"/>, <see cref="ExitCodes.DeviceError"/> (the device
    /// or platform failed; the message says how) or <see cref="ExitCodes.BadInput"/> (the message names the argument).
    /// Never lets an exception escape and never prints a stack trace.
    /// </summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="context">Where to write, and what the commands may reach.</param>
    public static int Run(string[] args, CliContext context)
    {
        try
        {
            var root = Build(context);
            // No response files: '@FILE' is decode's own syntax for a file of raw bytes.
            var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
            if (args.Length == 0)
            {
                context.Error.WriteLine("gvnic: no command given; start with 'gvnic demo' (commands: demo, up, serve, gen, sink, fwd, decode, encode, types, trace; see 'gvnic --help')");
                return ExitCodes.BadInput;
            }
            if (parsed.Errors.Count > 0)
            {
                foreach (var message in ParseErrors(parsed)) context.Error.WriteLine("gvnic: " + message);
                context.Error.WriteLine("run '" + CommandPath(parsed) + " --help' for usage");
                return ExitCodes.BadInput;
            }
            var configuration = new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false };
            return parsed.Invoke(configuration);
        }
        catch (Exception e)
        {
            return Report(context.Error, e);
        }
    }

    /// <summary>The parser's errors, with missing arguments named (<c>missing TYPE and HEX</c>) and duplicates dropped.</summary>
    private static List<string> ParseErrors(ParseResult parsed)
    {
        var messages = new List<string>();
        var command = parsed.CommandResult.Command;
        var missing = command.Arguments.Where(a => a.Arity.MinimumNumberOfValues > 0 && (parsed.GetResult(a) is not ArgumentResult r || r.Tokens.Count == 0)).Select(a => a.Name).ToList();
        bool reportedMissing = false;
        foreach (var error in parsed.Errors)
        {
            string message = error.Message;
            if (missing.Count > 0 && message.StartsWith("Required argument missing", StringComparison.Ordinal))
            {
                if (reportedMissing) continue;
                reportedMissing = true;
                string path = CommandPath(parsed);
                message = "'" + path["gvnic ".Length..] + "' needs " + string.Join(" and ", missing) + " (usage: " + path + " " + string.Join(" ", command.Arguments.Select(a => a.Arity.MinimumNumberOfValues > 0 ? a.Name : "[" + a.Name + "...]")) + ")";
            }
            if (!messages.Contains(message)) messages.Add(message);
        }
        return messages;
    }

    /// <summary><c>gvnic</c>, <c>gvnic decode</c>, <c>gvnic trace diff</c>: the command the parse ended in, as typed.</summary>
    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (SymbolResult? r = parsed.CommandResult; r is CommandResult c; r = c.Parent) names.Insert(0, c.Command.Name);
        names[0] = "gvnic"; // the root command is named after the executable
        return string.Join(" ", names);
    }

    /// <summary>Runs <paramref name="action"/>, turning every exception into a one-line message and an exit code.</summary>
    internal static int Guard(CliContext context, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e)
        {
            return Report(context.Error, e);
        }
    }

    private static int Report(TextWriter error, Exception e)
    {
        int code = ErrorClassifier.ExitCode(e);
        error.WriteLine("gvnic: " + ErrorClassifier.Message(e));
        return code;
    }

    private static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("gvnic: bring up a Google Virtual NIC (simulated or real), generate, receive and forward traffic on it, and decode or encode its wire format. See docs/cli.md.");
        root.Subcommands.Add(DemoCommand.Create(context));
        root.Subcommands.Add(UpCommand.Create(context));
        root.Subcommands.Add(ServeCommand.Create(context));
        root.Subcommands.Add(TrafficCommandLine.Create(context, Traffic.TrafficCommand.Gen));
        root.Subcommands.Add(TrafficCommandLine.Create(context, Traffic.TrafficCommand.Sink));
        root.Subcommands.Add(TrafficCommandLine.Create(context, Traffic.TrafficCommand.Fwd));
        root.Subcommands.Add(DecodeCommand.Create(context));
        root.Subcommands.Add(EncodeCommand.Create(context));
        root.Subcommands.Add(TypesCommand.Create(context));
        root.Subcommands.Add(TraceCommand.Create(context));
        return root;
    }
}
