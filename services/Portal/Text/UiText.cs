namespace Cnh.Portal.Text;

/// <summary>
/// Every word the pages show, in both languages. Each member is required, so an English (or Vietnamese) text that is
/// missing is a build error, not a blank on a page.
/// </summary>
public sealed record UiText
{
    public required string SiteTitle { get; init; }
    public required string SiteSubtitle { get; init; }
    public required string SkipToContent { get; init; }
    public required string MainNavigation { get; init; }
    public required string NavOverview { get; init; }
    public required string NavDepartments { get; init; }
    public required string NavAlerts { get; init; }
    public required string NavDownloads { get; init; }
    public required string DownloadsIntro { get; init; }
    public required string ReportsHeading { get; init; }
    public required string ReportsIntro { get; init; }
    public required string InVietnamese { get; init; }
    public required string InEnglish { get; init; }
    public required string OpenDataHeading { get; init; }
    public required string OpenDataIntro { get; init; }
    public required string LatestData { get; init; }
    public required string TidyCsv { get; init; }
    public required string JsonFile { get; init; }
    public required string SdmxCsv { get; init; }
    public required string ZipFile { get; init; }
    public required string ColumnsReadme { get; init; }
    public required string MetadataFile { get; init; }
    public required string PerIndicatorFiles { get; init; }
    public required string ReleasesHeading { get; init; }
    public required string ReleasesIntro { get; init; }
    public required string NoReleasesYet { get; init; }
    public required string ReleasesUnavailable { get; init; }
    public required string ReleaseDate { get; init; }
    public required string Files { get; init; }
    public required string ForScriptsHeading { get; init; }
    public required string ForScripts { get; init; }
    public required string OpenDataOfIndicator { get; init; }
    public required string SwitchLanguage { get; init; }
    public required string SwitchLanguageLabel { get; init; }
    public required string DataAsOf { get; init; }
    public required string StaleWarning { get; init; }
    public required string NoDataYet { get; init; }
    public required string NextValueDue { get; init; }
    public required string CompositeIndex { get; init; }
    public required string CompositeScale { get; init; }
    public required string ChangeSince { get; init; }
    public required string NoPreviousPeriod { get; init; }
    public required string IndicatorsByStatus { get; init; }
    public required string ShowAll { get; init; }
    public required string FilteredBy { get; init; }
    public required string Groups { get; init; }
    public required string Score { get; init; }
    public required string Coverage { get; init; }
    public required string AllIndicators { get; init; }
    public required string TargetYear { get; init; }
    public required string TargetFor { get; init; }
    public required string StatusMeasuredNote { get; init; }
    public required string Code { get; init; }
    public required string Indicator { get; init; }
    public required string Status { get; init; }
    public required string LatestValue { get; init; }
    public required string Period { get; init; }
    public required string Unit { get; init; }
    public required string Target { get; init; }
    public required string Value { get; init; }
    public required string SortBy { get; init; }
    public required string Ascending { get; init; }
    public required string Descending { get; init; }
    public required string DownloadCsv { get; init; }
    public required string DownloadSvg { get; init; }
    public required string DownloadWorkbook { get; init; }
    public required string SummarySheet { get; init; }
    public required string DownloadBriefing { get; init; }
    public required string BriefingTitle { get; init; }
    public required string ChartData { get; init; }
    public required string Inferred { get; init; }
    public required string InferredExplanation { get; init; }
    public required string Documented { get; init; }
    public required string Chart { get; init; }
    public required string Table { get; init; }
    public required string Reported { get; init; }
    public required string RequiredPath { get; init; }
    public required string Projection { get; init; }
    public required string HowComputed { get; init; }
    public required string BaseYear { get; init; }
    public required string BaseValue { get; init; }
    public required string CurrentValue { get; init; }

    /// <summary>The value's standing in the approval workflow: accepted by the statistics office, or not yet.</summary>
    public required string ValueStanding { get; init; }
    public required string OfficialValue { get; init; }
    public required string ProvisionalValue { get; init; }

    /// <summary>A score's basis (<c>official</c> or <c>provisional</c>) in words.</summary>
    public string Standing(string basis) => basis == "official" ? OfficialValue : ProvisionalValue;

    public required string ActiveTarget { get; init; }
    public required string ObservedGrowth { get; init; }
    public required string RequiredGrowth { get; init; }
    public required string ProgressValue { get; init; }
    public required string Thresholds { get; init; }
    public required string ResultingStatus { get; init; }
    public required string StatusHistory { get; init; }
    public required string When { get; init; }
    public required string Submission { get; init; }
    public required string Change { get; init; }
    public required string NoHistory { get; init; }

    /// <summary>{0} rows shown of {1}.</summary>
    public required string HistoryShown { get; init; }
    public required string Milestones { get; init; }
    public required string Met { get; init; }
    public required string Missed { get; init; }
    public required string NoMilestones { get; init; }
    public required string Metadata { get; init; }
    public required string Definition { get; init; }
    public required string Direction { get; init; }
    public required string Increase { get; init; }
    public required string Decrease { get; init; }
    public required string Responsible { get; init; }
    public required string Coordinating { get; init; }
    public required string Frequency { get; init; }
    public required string SourceDocument { get; init; }
    public required string NationalAlignment { get; init; }
    public required string Group { get; init; }
    public required string Department { get; init; }
    public required string Departments { get; init; }
    public required string DepartmentsIntro { get; init; }
    public required string IndicatorsOwned { get; init; }
    public required string Expected { get; init; }
    public required string OnTime { get; init; }
    public required string Late { get; init; }
    public required string Missing { get; init; }
    public required string NotYetDue { get; init; }
    public required string OpenAlerts { get; init; }
    public required string LastSubmission { get; init; }
    public required string Never { get; init; }
    public required string BehindMark { get; init; }
    public required string Alerts { get; init; }
    public required string AlertsIntro { get; init; }
    public required string Kind { get; init; }
    public required string AllKinds { get; init; }
    public required string Filter { get; init; }
    public required string NoAlerts { get; init; }
    public required string ErrorTitle { get; init; }
    public required string ErrorText { get; init; }
    public required string NotFoundTitle { get; init; }
    public required string NotFoundText { get; init; }
    public required string BackToOverview { get; init; }
    public required string LiveRegionUpdated { get; init; }
    public required string Year { get; init; }
    public required string Attainment { get; init; }
    public required string Note { get; init; }
    public required string ReportingPeriodLabel { get; init; }
    public required string Severity { get; init; }
    public required Func<string, string> StatusName { get; init; }
    public required Func<string, string> AlertKindName { get; init; }
    public required Func<string, string> FrequencyName { get; init; }

    /// <summary>The chart's one-sentence summary: name, first and latest value, target, status.</summary>
    public required Func<ChartSummary, string> ChartSentence { get; init; }
    public required Func<double, double, string> ThresholdSentence { get; init; }

    public static readonly UiText Vi = new()
    {
        SiteTitle = "Chỉ tiêu công nghiệp hóa, hiện đại hóa Thủ đô",
        SiteSubtitle = "Chương trình 21-CTr/TU · Kế hoạch 139/KH-UBND",
        SkipToContent = "Bỏ qua, đến nội dung chính",
        MainNavigation = "Điều hướng chính",
        NavOverview = "Tổng quan",
        NavDepartments = "Các sở",
        NavAlerts = "Cảnh báo",
        NavDownloads = "Dữ liệu mở và báo cáo",
        DownloadsIntro =
            "Tải về các báo cáo định kỳ và dữ liệu mở của các chỉ tiêu, tự do sử dụng lại. Mọi con số lấy từ cùng nguồn với "
            + "các trang và API.",
        ReportsHeading = "Báo cáo",
        ReportsIntro = "Bảng tổng hợp 26 chỉ tiêu (Excel) và bản tin tóm tắt (PDF, khổ A4) với số liệu mới nhất.",
        InVietnamese = "Tiếng Việt",
        InEnglish = "Tiếng Anh",
        OpenDataHeading = "Dữ liệu mở",
        OpenDataIntro =
            "Mỗi dòng là một chỉ tiêu × kỳ báo cáo × lần điều chỉnh: giá trị, thời điểm nộp, sở báo cáo, mục tiêu áp dụng, "
            + "trạng thái và điểm. Giá trị thay đổi so với lần công bố trước được đánh dấu (cột change).",
        LatestData = "Số liệu hiện hành",
        TidyCsv = "CSV (dạng bảng gọn)",
        JsonFile = "JSON",
        SdmxCsv = "SDMX-CSV",
        ZipFile = "Tất cả trong một tệp ZIP",
        ColumnsReadme = "Giải thích các cột (README)",
        MetadataFile = "Siêu dữ liệu các chỉ tiêu",
        PerIndicatorFiles =
            "Từng chỉ tiêu: /open-data/latest/indicators/{mã}.csv, .json hoặc .sdmx.csv — liên kết có trên trang của mỗi chỉ tiêu.",
        ReleasesHeading = "Các lần công bố",
        ReleasesIntro =
            "Mỗi ngày một lần công bố (23:45 giờ Hà Nội). Một lần công bố đã có thì không bao giờ thay đổi: địa chỉ của nó "
            + "có thể trích dẫn lâu dài.",
        NoReleasesYet = "Chưa có lần công bố nào; lần đầu tiên vào 23:45 hôm nay.",
        ReleasesUnavailable =
            "Hiện chưa đọc được danh sách các lần công bố; vui lòng thử lại sau ít phút. Số liệu hiện hành vẫn tải được ở trên.",
        ReleaseDate = "Ngày công bố",
        Files = "Tệp",
        ForScriptsHeading = "Cho chương trình tự động",
        ForScripts =
            "Dữ liệu mở không cần đăng nhập. Báo cáo cũng có qua API với mã truy cập (vai trò admin hoặc viewer); $PORTAL là "
            + "địa chỉ của cổng thông tin này:",
        OpenDataOfIndicator = "Dữ liệu mở (mọi lần điều chỉnh, CSV)",
        SwitchLanguage = "English",
        SwitchLanguageLabel = "Xem trang này bằng tiếng Anh",
        DataAsOf = "Số liệu tính đến",
        StaleWarning = "Không kết nối được hệ thống; đang hiển thị số liệu lần cuối đọc được. Trang sẽ tự cập nhật khi kết nối lại.",
        NoDataYet = "Chưa đọc được số liệu từ hệ thống. Vui lòng thử lại sau ít phút.",
        NextValueDue = "Hạn nộp số liệu tiếp theo",
        CompositeIndex = "Chỉ số tổng hợp",
        CompositeScale = "thang điểm từ −5 đến 5",
        ChangeSince = "so với năm",
        NoPreviousPeriod = "chưa có kỳ trước để so sánh",
        IndicatorsByStatus = "Số chỉ tiêu theo tình trạng",
        ShowAll = "Hiện tất cả",
        FilteredBy = "Đang lọc",
        Groups = "Các nhóm chỉ tiêu",
        Score = "Điểm",
        Coverage = "Có số liệu",
        AllIndicators = "Các chỉ tiêu",
        TargetYear = "Mục tiêu năm",
        TargetFor = "Mục tiêu",
        StatusMeasuredNote = "Tình trạng được tính theo mục tiêu gần nhất sau kỳ số liệu mới nhất.",
        Code = "Mã",
        Indicator = "Chỉ tiêu",
        Status = "Tình trạng",
        LatestValue = "Giá trị mới nhất",
        Period = "Kỳ",
        Unit = "Đơn vị",
        Target = "Mục tiêu",
        Value = "Giá trị",
        SortBy = "Sắp xếp theo",
        Ascending = "tăng dần",
        Descending = "giảm dần",
        DownloadCsv = "Tải dữ liệu (CSV)",
        DownloadSvg = "Tải biểu đồ (SVG)",
        DownloadWorkbook = "Báo cáo Excel (XLSX)",
        SummarySheet = "Tổng hợp",
        DownloadBriefing = "Bản tin tóm tắt (PDF)",
        BriefingTitle = "Bản tin tóm tắt các chỉ tiêu công nghiệp hóa, hiện đại hóa Thủ đô",
        ChartData = "Dữ liệu của biểu đồ",
        Inferred = "Suy luận",
        InferredExplanation = "Mục tiêu của chỉ tiêu này được suy ra, chưa có trong văn bản chính thức.",
        Documented = "Có văn bản",
        Chart = "Biểu đồ",
        Table = "Bảng số liệu",
        Reported = "Số liệu báo cáo",
        RequiredPath = "Lộ trình cần đạt",
        Projection = "Dự báo theo tốc độ hiện tại",
        HowComputed = "Cách tính tình trạng này",
        BaseYear = "Năm gốc",
        BaseValue = "Giá trị gốc",
        CurrentValue = "Giá trị hiện tại",
        ValueStanding = "Tình trạng số liệu",
        OfficialValue = "chính thức: đã được Thống kê thành phố chấp nhận",
        ProvisionalValue = "tạm tính: chưa được Thống kê thành phố chấp nhận",
        ActiveTarget = "Mục tiêu đang xét",
        ObservedGrowth = "Tốc độ tăng thực tế (mỗi năm)",
        RequiredGrowth = "Tốc độ tăng cần thiết (mỗi năm)",
        ProgressValue = "Giá trị tiến độ p",
        Thresholds = "Ngưỡng",
        ResultingStatus = "Kết quả",
        StatusHistory = "Lịch sử tình trạng",
        When = "Thời điểm",
        Submission = "Lần nộp",
        Change = "Thay đổi",
        NoHistory = "Chưa có lần tính nào.",
        HistoryShown = "Đang hiện {0} lần tính gần nhất trong tổng số {1}.",
        Milestones = "Các mốc",
        Met = "Đạt",
        Missed = "Không đạt",
        NoMilestones = "Chưa đến mốc mục tiêu nào.",
        Metadata = "Thông tin chỉ tiêu",
        Definition = "Tên đầy đủ",
        Direction = "Chiều mong muốn",
        Increase = "Càng cao càng tốt",
        Decrease = "Càng thấp càng tốt",
        Responsible = "Sở chủ trì",
        Coordinating = "Sở phối hợp",
        Frequency = "Kỳ báo cáo",
        SourceDocument = "Nguồn",
        NationalAlignment = "Liên hệ với mục tiêu quốc gia",
        Group = "Nhóm",
        Department = "Sở",
        Departments = "Các sở và số liệu đã nộp",
        DepartmentsIntro = "Số liệu phải nộp của từng sở trong kỳ báo cáo, nộp đúng hạn, trễ hạn hay còn thiếu.",
        IndicatorsOwned = "Chỉ tiêu chủ trì",
        Expected = "Phải nộp",
        OnTime = "Đúng hạn",
        Late = "Trễ hạn",
        Missing = "Còn thiếu",
        NotYetDue = "Chưa đến hạn",
        OpenAlerts = "Cảnh báo",
        LastSubmission = "Lần nộp gần nhất",
        Never = "Chưa nộp",
        BehindMark = "Chậm nộp",
        Alerts = "Cảnh báo gần đây",
        AlertsIntro = "Chỉ tiêu rơi vào chậm tiến độ, phục hồi, không đạt mốc hoặc quá hạn nộp số liệu.",
        Kind = "Loại",
        AllKinds = "Tất cả các loại",
        Filter = "Lọc",
        NoAlerts = "Không có cảnh báo nào.",
        ErrorTitle = "Đã có lỗi",
        ErrorText = "Trang không hiển thị được. Vui lòng tải lại trang sau ít phút; nếu vẫn lỗi, hãy báo cho bộ phận vận hành.",
        NotFoundTitle = "Không tìm thấy trang",
        NotFoundText = "Địa chỉ này không có trang nào. Hãy kiểm tra lại mã chỉ tiêu hoặc quay về trang tổng quan.",
        BackToOverview = "Về trang tổng quan",
        LiveRegionUpdated = "Số liệu vừa được cập nhật",
        Year = "Năm",
        Attainment = "Mức đạt so với mục tiêu",
        Note = "Ghi chú",
        ReportingPeriodLabel = "Kỳ báo cáo",
        Severity = "Mức độ",
        StatusName = s =>
            s switch
            {
                "TargetAchieved" => "Đạt mục tiêu",
                "OnTrack" => "Đúng tiến độ",
                "NeedsAcceleration" => "Cần tăng tốc",
                "LimitedProgress" => "Tiến bộ hạn chế",
                "Deteriorating" => "Đi xuống",
                _ => "Chưa có số liệu",
            },
        AlertKindName = k =>
            k switch
            {
                "FellBehind" => "Chậm tiến độ",
                "Recovered" => "Phục hồi",
                "MilestoneMissed" => "Không đạt mốc",
                "SubmissionOverdue" => "Quá hạn nộp số liệu",
                _ => k,
            },
        FrequencyName = f =>
            f switch
            {
                "quarterly" => "Hằng quý",
                "monthly" => "Hằng tháng",
                _ => "Hằng năm",
            },
        ChartSentence = c =>
            c.Points == 0
                ? $"{c.Name}: chưa có số liệu báo cáo; mục tiêu {c.Target}."
                : $"{c.Name}: {c.Points} giá trị báo cáo, từ {c.First} ({c.FirstPeriod}) đến {c.Latest} ({c.LatestPeriod}); "
                    + $"mục tiêu {c.Target}; tình trạng: {c.Status}.",
        ThresholdSentence = (onTrack, acceleration) =>
            $"p ≥ {onTrack}: đúng tiến độ; {acceleration} ≤ p < {onTrack}: cần tăng tốc; 0 ≤ p < {acceleration}: tiến bộ hạn "
            + $"chế; p < 0: đi xuống.",
    };

    public static readonly UiText En = new()
    {
        SiteTitle = "Hanoi's industrialization and modernization indicators",
        SiteSubtitle = "Action Programme 21-CTr/TU · Plan 139/KH-UBND",
        SkipToContent = "Skip to main content",
        MainNavigation = "Main navigation",
        NavOverview = "Overview",
        NavDepartments = "Departments",
        NavAlerts = "Alerts",
        NavDownloads = "Open data and reports",
        DownloadsIntro =
            "Download the periodic reports and the open data of the indicators, free to reuse. Every number comes from the "
            + "same source as the pages and the API.",
        ReportsHeading = "Reports",
        ReportsIntro = "The table of the 26 indicators (Excel) and the briefing (PDF, A4), with the latest figures.",
        InVietnamese = "Vietnamese",
        InEnglish = "English",
        OpenDataHeading = "Open data",
        OpenDataIntro =
            "One row per indicator × period × revision: value, when it was submitted, the department, the target it is "
            + "scored against, status and score. A value changed since the previous release is marked (column change).",
        LatestData = "The data as it stands",
        TidyCsv = "CSV (tidy)",
        JsonFile = "JSON",
        SdmxCsv = "SDMX-CSV",
        ZipFile = "Everything in one ZIP",
        ColumnsReadme = "What the columns mean (README)",
        MetadataFile = "Indicator metadata",
        PerIndicatorFiles =
            "Per indicator: /open-data/latest/indicators/{code}.csv, .json or .sdmx.csv — each indicator's page links to them.",
        ReleasesHeading = "Releases",
        ReleasesIntro = "One release a day (23:45 Hanoi time). A release never changes once published: its address can be cited for good.",
        NoReleasesYet = "No release yet; the first is at 23:45 today.",
        ReleasesUnavailable =
            "The list of releases cannot be read just now; please try again in a few minutes. The current data above still downloads.",
        ReleaseDate = "Release date",
        Files = "Files",
        ForScriptsHeading = "For scripts",
        ForScripts =
            "The open data needs no sign-in. The reports are also served through the API with a token (admin or viewer "
            + "role); $PORTAL is this portal's address:",
        OpenDataOfIndicator = "Open data (every revision, CSV)",
        SwitchLanguage = "Tiếng Việt",
        SwitchLanguageLabel = "View this page in Vietnamese",
        DataAsOf = "Data as of",
        StaleWarning = "The platform cannot be reached; these are the last figures read. The page updates itself when it is back.",
        NoDataYet = "No figures could be read from the platform yet. Please try again in a few minutes.",
        NextValueDue = "Next value due",
        CompositeIndex = "Composite index",
        CompositeScale = "on a scale from −5 to 5",
        ChangeSince = "since",
        NoPreviousPeriod = "no earlier period to compare with",
        IndicatorsByStatus = "Indicators by status",
        ShowAll = "Show all",
        FilteredBy = "Filtered by",
        Groups = "Indicator groups",
        Score = "Score",
        Coverage = "With data",
        AllIndicators = "Indicators",
        TargetYear = "Target year",
        TargetFor = "Target",
        StatusMeasuredNote = "Statuses are measured against the first target year after the latest value.",
        Code = "Code",
        Indicator = "Indicator",
        Status = "Status",
        LatestValue = "Latest value",
        Period = "Period",
        Unit = "Unit",
        Target = "Target",
        Value = "Value",
        SortBy = "Sort by",
        Ascending = "ascending",
        Descending = "descending",
        DownloadCsv = "Download data (CSV)",
        DownloadSvg = "Download chart (SVG)",
        DownloadWorkbook = "Excel report (XLSX)",
        SummarySheet = "Summary",
        DownloadBriefing = "Briefing (PDF)",
        BriefingTitle = "Briefing on Hanoi's industrialization and modernization indicators",
        ChartData = "Chart data",
        Inferred = "Inferred",
        InferredExplanation = "This indicator's target is inferred; it is not yet in an official document.",
        Documented = "Documented",
        Chart = "Chart",
        Table = "Table",
        Reported = "Reported values",
        RequiredPath = "Required path",
        Projection = "Projection at the observed rate",
        HowComputed = "How this status was computed",
        BaseYear = "Base year",
        BaseValue = "Base value",
        CurrentValue = "Current value",
        ValueStanding = "Standing of the values",
        OfficialValue = "official: accepted by the City Statistics Office",
        ProvisionalValue = "provisional: not yet accepted by the City Statistics Office",
        ActiveTarget = "Target considered",
        ObservedGrowth = "Observed growth (per year)",
        RequiredGrowth = "Required growth (per year)",
        ProgressValue = "Progress value p",
        Thresholds = "Thresholds",
        ResultingStatus = "Result",
        StatusHistory = "Status history",
        When = "When",
        Submission = "Submission",
        Change = "Change",
        NoHistory = "Not calculated yet.",
        HistoryShown = "Showing the latest {0} of {1} recalculations.",
        Milestones = "Milestones",
        Met = "Met",
        Missed = "Missed",
        NoMilestones = "No target year has been reached yet.",
        Metadata = "About this indicator",
        Definition = "Full name",
        Direction = "Desired direction",
        Increase = "Higher is better",
        Decrease = "Lower is better",
        Responsible = "Responsible department",
        Coordinating = "Coordinating departments",
        Frequency = "Reporting frequency",
        SourceDocument = "Source",
        NationalAlignment = "National alignment",
        Group = "Group",
        Department = "Department",
        Departments = "Departments and their reporting",
        DepartmentsIntro = "For each department, the values due in the reporting period: received on time, late, or missing.",
        IndicatorsOwned = "Indicators owned",
        Expected = "Due",
        OnTime = "On time",
        Late = "Late",
        Missing = "Missing",
        NotYetDue = "Not yet due",
        OpenAlerts = "Alerts",
        LastSubmission = "Last submission",
        Never = "None yet",
        BehindMark = "Behind",
        Alerts = "Recent alerts",
        AlertsIntro = "Indicators that fell behind, recovered, missed a milestone, or whose values are overdue.",
        Kind = "Kind",
        AllKinds = "All kinds",
        Filter = "Filter",
        NoAlerts = "No alerts.",
        ErrorTitle = "Something went wrong",
        ErrorText = "The page could not be shown. Please reload it in a few minutes; if it keeps failing, tell the operations team.",
        NotFoundTitle = "Page not found",
        NotFoundText = "There is no page at this address. Check the indicator code, or go back to the overview.",
        BackToOverview = "Back to the overview",
        LiveRegionUpdated = "The figures were just updated",
        Year = "Year",
        Attainment = "Attainment of the target",
        Note = "Note",
        ReportingPeriodLabel = "Reporting period",
        Severity = "Severity",
        StatusName = s =>
            s switch
            {
                "TargetAchieved" => "Target achieved",
                "OnTrack" => "On track",
                "NeedsAcceleration" => "Needs acceleration",
                "LimitedProgress" => "Limited progress",
                "Deteriorating" => "Deteriorating",
                _ => "No data yet",
            },
        AlertKindName = k =>
            k switch
            {
                "FellBehind" => "Fell behind",
                "Recovered" => "Recovered",
                "MilestoneMissed" => "Milestone missed",
                "SubmissionOverdue" => "Submission overdue",
                _ => k,
            },
        FrequencyName = f =>
            f switch
            {
                "quarterly" => "Quarterly",
                "monthly" => "Monthly",
                _ => "Annual",
            },
        ChartSentence = c =>
            c.Points == 0
                ? $"{c.Name}: no value reported yet; target {c.Target}."
                : $"{c.Name}: {c.Points} reported values, from {c.First} ({c.FirstPeriod}) to {c.Latest} ({c.LatestPeriod}); "
                    + $"target {c.Target}; status: {c.Status}.",
        ThresholdSentence = (onTrack, acceleration) =>
            $"p ≥ {onTrack}: on track; {acceleration} ≤ p < {onTrack}: needs acceleration; 0 ≤ p < {acceleration}: limited "
            + $"progress; p < 0: deteriorating.",
    };
}

public sealed record ChartSummary(
    string Name,
    int Points,
    string First,
    string FirstPeriod,
    string Latest,
    string LatestPeriod,
    string Target,
    string Status
);
