namespace Gvnic.Driver.DataPlane;

/// <summary>Reads the generation bit of entry <c>slot</c> of a DQO completion ring (TX or RX).</summary>
internal interface IGenerationBits
{
    bool Generation(int slot);
}
