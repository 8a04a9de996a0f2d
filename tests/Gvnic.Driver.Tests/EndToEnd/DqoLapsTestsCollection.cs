using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>Runs <see cref="DqoLapsTests"/> alone (tens of thousands of frames): it does not slow the parallel tests down.</summary>
[CollectionDefinition(nameof(DqoLapsTests), DisableParallelization = true)]
public sealed class DqoLapsTestsCollection;
