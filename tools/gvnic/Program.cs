using System;
using System.Text;
using Spectre.Console;

namespace Gvnic.Cli;

/// <summary>The <c>gvnic</c> executable.</summary>
public static class Program
{
    /// <summary>Runs gvnic on the process's console; see <see cref="GvnicApp.Run"/> for the exit codes.</summary>
    /// <param name="args">The command line.</param>
    public static int Main(string[] args)
    {
        System.Console.OutputEncoding = Encoding.UTF8;
        IAnsiConsole console;
        if (System.Console.IsOutputRedirected)
        {
            console = CliContext.PlainConsole(System.Console.Out, 160);
        }
        else
        {
            console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Out) });
        }
        var context = new CliContext(System.Console.Out, System.Console.Error, console);
        return GvnicApp.Run(args, context);
    }
}
