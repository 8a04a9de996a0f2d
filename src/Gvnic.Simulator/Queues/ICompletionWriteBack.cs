namespace Gvnic.Simulator.Queues;

/// <summary>A completion ring whose device holds completions back (DQO): its notification block makes it write them when it fires.</summary>
internal interface ICompletionWriteBack
{
    /// <summary>Writes every completion the device holds for the ring into host memory now (the block fired).</summary>
    void WriteBackHeld();
}
