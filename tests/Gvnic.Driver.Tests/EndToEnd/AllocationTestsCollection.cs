using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>Runs <see cref="AllocationTests"/> alone, after the parallel tests: no other test JITs or allocates meanwhile.</summary>
[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public sealed class AllocationTestsCollection;
