using Cnh.Portal.Text;

namespace Cnh.Portal.Tests;

public class LanguageTests
{
    [Fact]
    public void When_a_number_is_written_it_follows_the_language()
    {
        Language.Vietnamese.Number(7200.5).Should().Be("7.200,5");
        Language.English.Number(7200.5).Should().Be("7,200.5");
        Language.Vietnamese.Number(null).Should().Be("–");
        Language.Vietnamese.Percent(0.0622, 2).Should().Be("6,22 %");
        Language.English.Percent(0.0622, 2).Should().Be("6.22%");
    }

    [Fact]
    public void When_a_time_is_written_it_is_Hanoi_time_in_the_languages_date_form()
    {
        var lateEveningUtc = new DateTimeOffset(2026, 8, 14, 20, 30, 0, TimeSpan.Zero);
        Language.Vietnamese.DateTime(lateEveningUtc).Should().Be("15/08/2026 03:30");
        Language.English.Date(lateEveningUtc).Should().Be("15 Aug 2026");
        Language.Vietnamese.Date(new DateOnly(2027, 3, 31)).Should().Be("31/03/2027");
    }

    [Fact]
    public void When_a_language_code_is_unknown_the_reader_gets_Vietnamese()
    {
        Language.FromCode("fr").Should().BeSameAs(Language.Vietnamese);
        Language.FromCode("en").Should().BeSameAs(Language.English);
        Language.Vietnamese.Other.Should().BeSameAs(Language.English);
    }

    [Theory]
    [InlineData("TargetAchieved", "Đạt mục tiêu", "Target achieved")]
    [InlineData("OnTrack", "Đúng tiến độ", "On track")]
    [InlineData("NeedsAcceleration", "Cần tăng tốc", "Needs acceleration")]
    [InlineData("LimitedProgress", "Tiến bộ hạn chế", "Limited progress")]
    [InlineData("Deteriorating", "Đi xuống", "Deteriorating")]
    [InlineData("NotAvailable", "Chưa có số liệu", "No data yet")]
    public void When_a_status_is_named_it_has_words_in_both_languages(string status, string vi, string en)
    {
        UiText.Vi.StatusName(status).Should().Be(vi);
        UiText.En.StatusName(status).Should().Be(en);
    }
}
