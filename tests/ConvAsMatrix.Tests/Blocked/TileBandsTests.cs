namespace ConvAsMatrix.Tests.Blocked;

/// <summary>
/// The positions kernel's tile order (<see cref="TileBands"/>) against the order written out as nested loops: every tile
/// once, bands of channel blocks, strips of column blocks, each channel block's strip in turn; and placed at any tile by
/// <see cref="TileBands.MoveTo"/>, the same tile that stepping there by <see cref="TileBands.Next"/> reaches.
/// </summary>
[Trait("Category", "Kernel")]
public class TileBandsTests
{
    [Theory]
    [InlineData(1, 1, 1, 4, 21)] // one tile
    [InlineData(1, 16, 192, 4, 21)] // W6 on AVX2: whole bands, a short last strip (192 = 9·21 + 3)
    [InlineData(2, 6, 30, 4, 21)] // a short band (6 = 4 + 2) and a short strip in each group
    [InlineData(3, 3, 7, 3, 2)] // fewer blocks than a band of 4 (together = blocks), strips of 2 over 7
    [InlineData(2, 5, 4, 4, 9)] // a strip wider than the column blocks
    [InlineData(1, 9, 5, 4, 1)] // strips of one column block
    public void WalksTheBandsAndStripsOnceFromAnyTile(int groups, int blocks, int columnBlocks, int together, int strip)
    {
        var expected = new List<(int, int, int)>();
        for (int group = 0; group < groups; group++)
            for (int band = 0; band < blocks; band += together)
                for (int first = 0; first < columnBlocks; first += strip)
                    for (int block = band; block < Math.Min(band + together, blocks); block++)
                        for (int columnBlock = first; columnBlock < Math.Min(first + strip, columnBlocks); columnBlock++)
                            expected.Add((group, block, columnBlock));
        Assert.Equal(groups * blocks * columnBlocks, expected.Distinct().Count());
        var walked = new TileBands(blocks, columnBlocks, together, strip);
        walked.MoveTo(0);
        for (int t = 0; t < expected.Count; t++, walked.Next())
        {
            Assert.Equal(expected[t], (walked.Group, walked.Block, walked.ColumnBlock));
            var placed = new TileBands(blocks, columnBlocks, together, strip);
            placed.MoveTo(t);
            Assert.Equal(expected[t], (placed.Group, placed.Block, placed.ColumnBlock));
        }
    }
}
