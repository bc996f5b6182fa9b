"""Plausible people and places for the benchmark data: Vietnamese (Kinh) and ethnic-minority
names with realistic frequencies, the ethnic mix of each of the 34 provinces, village names.

The point is honest search timings: "nguyen van duc" must match as many people as it would
in the real registry (Nguyễn is ~38% of Kinh surnames, "Văn" most men's middle name), and rare
names must be rare.
"""

import random
from bisect import bisect
from itertools import accumulate


class Pool:
    """Weighted choice from "name:weight" words (weight 1 when omitted), fast for many draws."""

    def __init__(self, spec: str):
        items = []
        for word in spec.split(","):
            word = word.strip()
            if not word:
                continue
            name, _, weight = word.partition(":")
            items.append((name.strip(), float(weight) if weight else 1.0))
        self.names = [name for name, _ in items]
        self.cumulative = list(accumulate(weight for _, weight in items))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> str:
        return self.names[bisect(self.cumulative, rng.random() * self.total)]


# --- Kinh -----------------------------------------------------------------------------------

KINH_SURNAMES = Pool(
    "Nguyễn:384,Trần:110,Lê:95,Phạm:70,Hoàng:40,Huỳnh:30,Phan:45,Vũ:25,Võ:20,Đặng:21,Bùi:20,"
    "Đỗ:14,Hồ:13,Ngô:13,Dương:10,Lý:5,Đinh:7,Trương:8,Mai:5,Đào:5,Cao:4,Lâm:4,Phùng:3,Tạ:3,"
    "Trịnh:4,Hà:5,Lương:3,Tô:2,Chu:2,Kiều:1,Lưu:3,Châu:2,Quách:1,Thái:1,Tăng:1,Triệu:2,"
    "Đoàn:5,Vương:2,Nghiêm:1,Khúc:0.5,Lại:1,Mạc:0.5,Giang:1,Tống:1,Thân:1,Ông:0.5,Lục:0.5,"
    "Hứa:1,Diệp:0.5,La:0.5,Bạch:0.5,Âu:0.5,Khổng:0.5,Văn:1,Kim:0.5,Doãn:0.5,Nông:0.5,"
    "Lưu:1,Tiêu:0.3,Ninh:0.5,Quan:0.3,Ung:0.2,Hầu:0.2,Khương:0.3,Tôn:0.3,Phó:0.3"
)
KINH_MIDDLE_M = Pool(
    "Văn:45,Đức:6,Hữu:6,Quang:5,Minh:5,Công:4,Xuân:4,Đình:4,Ngọc:3,Thanh:3,Trọng:2,Mạnh:2,"
    "Tiến:2,Duy:2,Bá:2,Thế:2,Hoàng:1,Anh:1,Tuấn:1,Viết:1,Chí:1,Quốc:1,Kim:0.5,Như:0.5,"
    "Khắc:1,Phú:0.5,Trung:1,Vĩnh:0.5,Hồng:1,Tất:0.3,Sỹ:0.5,Thành:1"
)
KINH_MIDDLE_F = Pool(
    "Thị:60,Ngọc:5,Thu:4,Thanh:4,Kim:3,Minh:2,Hồng:3,Thúy:2,Bích:2,Mỹ:2,Phương:2,Hải:1,"
    "Diệu:1,Quỳnh:1,Xuân:2,Hoài:1,Lệ:1,Tuyết:1,Như:1,Cẩm:1,Thùy:1,Huyền:0.5,Bảo:0.5"
)
KINH_GIVEN_M = Pool(
    "Hùng:30,Dũng:28,Tuấn:25,Minh:24,Hải:22,Nam:22,Sơn:21,Thắng:20,Cường:19,Long:18,Hưng:18,"
    "Thành:18,Quang:16,Bình:16,Hòa:15,Phong:14,Trung:14,Hiếu:13,Tùng:12,Đức:12,Lâm:11,"
    "Khánh:11,Tâm:10,Thanh:10,Toàn:10,Huy:10,Việt:9,Vinh:9,Tiến:9,Phúc:8,Lợi:8,Tài:8,Thịnh:7,"
    "Đạt:7,Kiên:7,Công:6,Hậu:6,Trí:6,Chiến:6,Quý:6,Nghĩa:6,Lực:5,Thuận:5,Tín:5,Bảo:5,Quyết:5,"
    "Thái:5,Mạnh:5,Hiệp:4,Định:4,Lộc:4,Khoa:4,Hoàng:4,Giang:4,Tân:4,Tú:4,Duy:3,An:3,Thông:3,"
    "Điệp:2,Sáng:3,Hạnh:2,Chính:3,Thiện:3,Tuyên:2,Luận:2,Nhân:3,Đông:2,Hợp:2,Bắc:1,Xuân:2,"
    "Ngọc:2,Tường:2,Thọ:3,Phú:3,Nhật:1,Kỳ:1,Độ:1,Đồng:1,Đoàn:1,Cảnh:2,Hoan:1,Khải:1,Luân:1,"
    "Mừng:1,Ngữ:0.5,Oánh:0.3,Phượng:0.3,Quỳnh:0.5,Sỹ:1,Triều:1,Vượng:1,Yên:0.5,Đảm:0.5,"
    "Ước:0.2,Khiêm:1,Nhuận:0.5,Tửu:0.2,Khởi:0.3,Lịch:0.3,Ất:0.2,Bính:0.3,Thìn:0.3,Dậu:0.3"
)
KINH_GIVEN_F = Pool(
    "Lan:30,Hương:30,Hoa:25,Mai:25,Hà:22,Linh:20,Hằng:20,Thủy:19,Nga:18,Phương:18,Huyền:17,"
    "Trang:16,Yến:15,Loan:14,Dung:14,Hạnh:13,Thảo:13,Ngọc:12,Oanh:10,Liên:10,Hồng:10,Thu:10,"
    "Vân:10,Anh:9,Tuyết:8,Nhung:8,Thơm:7,Hiền:7,Hòa:7,Quyên:6,Chi:6,Duyên:6,Lý:5,Xuân:5,"
    "Nguyệt:5,Giang:5,Nhàn:5,Thoa:5,Bình:4,Cúc:4,Đào:3,Hải:3,Khánh:3,Lệ:3,Mơ:3,Nhi:3,Sen:3,"
    "Tâm:3,Thanh:3,Thúy:4,Trinh:3,Vui:2,Gấm:2,Lụa:2,Hậu:2,Diệp:1,Ánh:3,Huệ:3,Đông:1,Lài:1,"
    "Nở:1,Tươi:1,Xoan:1,Bưởi:0.5,Mận:1,Hạt:0.3,Ngát:1,Thắm:2,Chinh:1,Ưng:0.2,Uyên:1,Ý:0.3"
)


class Kinh:
    """Surname, a middle name, a given name; sometimes two middle names."""

    surnames, middle_m, middle_f = KINH_SURNAMES, KINH_MIDDLE_M, KINH_MIDDLE_F
    given_m, given_f = KINH_GIVEN_M, KINH_GIVEN_F
    double_middle = 0.06

    @classmethod
    def name(cls, rng: random.Random, sex: str) -> str:
        middle, given = (cls.middle_f, cls.given_f) if sex == "F" else (cls.middle_m, cls.given_m)
        parts = [cls.surnames.pick(rng), middle.pick(rng)]
        if rng.random() < cls.double_middle:
            parts.append((KINH_MIDDLE_F if sex == "F" else KINH_MIDDLE_M).pick(rng))
        parts.append(given.pick(rng))
        # "Nguyễn Thị Thị Lan" and "Văn Văn" do not happen.
        out = [parts[0]]
        for part in parts[1:]:
            if part and part != out[-1]:
                out.append(part)
        return " ".join(out)


def kinh_like(surnames: str, middle_m="Văn:10", middle_f="Thị:10", given_m="", given_f=""):
    """Groups that name themselves the Kinh way, with their own surnames and given names."""
    attrs = {
        "surnames": Pool(surnames),
        "middle_m": Pool(middle_m),
        "middle_f": Pool(middle_f),
        "given_m": _mixed(KINH_GIVEN_M, given_m),
        "given_f": _mixed(KINH_GIVEN_F, given_f),
        "double_middle": 0.02,
    }
    return type("KinhLike", (Kinh,), attrs)


class _Mixed:
    """Half from the group's own given names, half from the Kinh ones."""

    def __init__(self, kinh: Pool, own: Pool | None):
        self.kinh, self.own = kinh, own

    def pick(self, rng: random.Random) -> str:
        if self.own is not None and rng.random() < 0.6:
            return self.own.pick(rng)
        return self.kinh.pick(rng)


def _mixed(kinh: Pool, own: str) -> _Mixed:
    return _Mixed(kinh, Pool(own) if own else None)


class Prefixed:
    """Highland groups: a sex prefix and given name, then the clan (Ê Đê: "Y Bhăm Êban"), or
    the clan first (Gia Rai: "Ksor H'Bil")."""

    def __init__(
        self,
        clans: str,
        given_m: str,
        given_f: str,
        male="Y",
        female="H'",
        clan_first=False,
        joined_female=True,
        women_clanless=False,
    ):
        self.clans, self.given_m, self.given_f = Pool(clans), Pool(given_m), Pool(given_f)
        self.male, self.female = male, female
        self.clan_first, self.joined_female = clan_first, joined_female
        self.women_clanless = women_clanless

    def name(self, rng: random.Random, sex: str) -> str:
        if sex == "F":
            given = self.given_f.pick(rng)
            given = f"{self.female}{given}" if self.joined_female else f"{self.female} {given}"
        else:
            given = self.given_m.pick(rng)
            given = f"{self.male} {given}" if self.male else given
        if sex == "F" and self.women_clanless:
            return given
        clan = self.clans.pick(rng)
        if clan.endswith("'"):
            return f"{clan}{given}"
        return f"{clan} {given}" if self.clan_first else f"{given} {clan}"


class Khmer:
    """ "Thạch Sa Ra", "Sơn Thị Sà Phol", "Danh Sóc", "Kim Thị Mỹ Linh"."""

    surnames = Pool("Thạch:30,Sơn:20,Danh:20,Kim:12,Lâm:8,Châu:8,Trịnh:5,Lý:5,Huỳnh:3,Kiên:4")
    syllables = Pool(
        "Sa,Ra,Sóc,Phol,Sà,Rinh,Chanh,Đa,Ro,Vy,Kha,Mol,Som,Phan,Khương,Sương,Pô,Ni,Rươn,Út,"
        "Chăn,Thươl,Riêl,Pho,Na,Rết,Sophal,Kim,Sên,Thi,Sóc Kha,Nghĩa,Dên,Mây,Đen,Khen,Sóc,Mênh"
    )

    @classmethod
    def name(cls, rng: random.Random, sex: str) -> str:
        parts = [cls.surnames.pick(rng)]
        if sex == "F":
            parts.append("Thị")
        elif rng.random() < 0.15:
            parts.append("Văn")
        for _ in range(1 if rng.random() < 0.55 else 2):
            parts.append(cls.syllables.pick(rng))
        return " ".join(parts)


GROUPS = {
    "01": Kinh,
    "02": kinh_like(  # Tày
        "Hoàng:20,Nông:15,Lương:10,Ma:8,Bế:6,Đàm:5,Lục:5,Hà:6,Triệu:5,Lã:3,Đinh:3,Nguyễn:8,"
        "Lăng:2,Hứa:2,Mông:2,Ngôn:1",
        given_m="Pủng:1,Slao:1,Thào:1,Páo:0.5,Nhình:0.5,Lềnh:0.5,Kiểm:1,Slử:0.5",
        given_f="Slao:1,Nhình:1,Pjạ:0.3,Dịu:1,Mìn:0.5",
    ),
    "03": kinh_like(  # Thái
        "Lò:18,Lường:12,Cầm:10,Quàng:8,Tòng:7,Điêu:5,Vì:6,Hà:6,Lê:3,Sầm:3,Lự:2,Mè:2,Lộc:2,"
        "Bạc:3,Khằm:1,Hoàng:3,Vi:4,Lữ:2",
        given_m="Xôm,Ún,Sương,Phăng,Khằm,Thoong,Bun,Ngoan,Inh,Chăn,Hặc,Ỏn,Lả,Khuyên,Ẻn,Piệng,"
        "Pọm,Sánh,Tiêng,Hom,Chiêng,Panh,Xuân,Nọi,Lả",
        given_f="Pánh,Ín,Xiêng,Ỏn,Ọn,Lả,Bua,Un,Ban,Thảnh,Lay,Nhất,Xương,Ưởn,Phiêng,Éng,Hom",
    ),
    "04": kinh_like(  # Hoa
        "Lý:12,Trần:10,Lâm:10,Quách:6,Hứa:6,Tăng:5,Diệp:5,La:5,Mạch:3,Trương:6,Hoàng:5,Chung:4,"
        "Lưu:5,Vòng:3,Sầm:2,Thái:3",
        middle_m="A:3,Quốc:3,Vĩnh:2,Văn:3,Kiến:1,Gia:1",
        middle_f="Thị:3,Cẩm:2,Mỹ:3,Ngọc:2,Lệ:1",
        given_m="Sáng,Phát,Kiệt,Chấn,Sìn,Và,Kíu,Hỷ,Cẩu,Sềnh,Phúc,Thuận",
        given_f="Phụng,Huệ,Lệ,Hỷ,Sáng,Cúc,Mùi,Kiều",
    ),
    "05": Khmer,
    "06": kinh_like(  # Mường
        "Bùi:30,Đinh:25,Quách:10,Hà:8,Xa:5,Cao:3,Hoàng:3,Trương:2,Nguyễn:5,Phạm:3,Kiều:1",
        given_m="Nghị,Thân,Khởi,Lưởng,Tấm,Mến,Lẫm,Khôi",
        given_f="Thấm,Mến,Nhàn,Chắm,Lụa,Hiến,Pha",
    ),
    "07": kinh_like(  # Nùng
        "Hoàng:20,Nông:12,Lương:8,Lục:8,Vi:6,Chu:5,Mã:4,Lý:6,Triệu:5,Hứa:3,Lăng:3,Dương:4,"
        "Sầm:2,Mông:2,Nguyễn:5",
        given_m="Pảo,Sáng,Slằn,Pẻng,Mạy,Sỉnh,Cắm,Nhầm",
        given_f="Slao,Mây,Pẻng,Mìn,Chiến,Dịu,Nhất",
    ),
    "08": kinh_like(  # Mông
        "Giàng:18,Sùng:14,Vàng:14,Thào:12,Lý:9,Hờ:6,Mùa:6,Ly:5,Cứ:4,Lầu:4,Sình:3,Vừ:4,"
        "Hạng:3,Tráng:3,Chảo:2,Mua:2,Lồ:2,Phàng:2,Hầu:2,Chá:1,Thò:2",
        middle_m="A:60,Seo:12,Mí:8,Văn:10,Chứ:2,Sính:2,Vả:1",
        middle_f="Thị:80,Mí:3,Dì:1",
        given_m="Páo,Dế,Lử,Chứ,Sính,Pó,Chù,Sử,Vàng,Dơ,Tủa,Nhìa,Súa,Cở,Lềnh,Chớ,Chía,Xà,Dình,"
        "Tống,Phừ,Lồng,Lâu,Nhè,Vư,Của,Chư,Tú,Kỷ,Sình,Chông,Dia,Pao,Sếnh,Thề,Vừ,Chồ,Khua",
        given_f="Mỷ,Dua,Súa,Dợ,Pà,Chia,Mẩy,Sú,Dở,Xúa,Chở,Dông,Sinh,Vá,Say,Mua,Ly,Chu,Ninh,"
        "Pàng,Pằng,Sua,Mỉ,Già,Dầu,Kía,Chá,Xi,Nhìa,Lìa",
    ),
    "09": kinh_like(  # Dao
        "Triệu:25,Bàn:22,Đặng:15,Lý:10,Chảo:8,Phùng:6,Tẩn:6,Hoàng:4,Chìu:3,Lừu:2,Sằn:2",
        middle_m="Văn:10,Tài:5,Láo:4,Kim:3,Sành:2,Quẩy:2,Phúc:3,Sinh:2,Tòn:1",
        middle_f="Thị:12,Mùi:2,Tả:2,Mẩy:1,Nải:1",
        given_m="Vần,Quý,Kiều,Lở,Phấu,Hin,Chòi,Phin,Sinh,Lai,Tòng,Liềm,Mỉnh,Kiềm,Dào,Chàn,Pù",
        given_f="Mẩy,Lai,Chòi,Mùi,Sỉ,Chài,Nái,Vạn,Dần,Pham,Xiêm,Mai,Phấu",
    ),
    "10": Prefixed(  # Gia Rai
        "Ksor:25,Rơ Mah:18,Siu:15,Rơ Châm:10,Kpă:10,Nay:8,Rahlan:8,Puih:6,Rơ Ô:5,Kpuih:3",
        "Phun,Bin,Thơ,Blik,Hyui,Nghiêm,Ngai,Djuan,Thiêng,Tuk,Yuih,Ngưr,Nhuin,Ban,Hlơi,Tôn,Sang,"
        "Kơi,Dơng,Lăk,Huynh,Yơn,Bơr,Đoan,Hlinh",
        "Bil,Lan,Yuih,Hlơi,Nhuin,Mai,Dơng,Blin,Djang,Lin,Phê,Hyang,Nhung,Ruh,Kli,Hlen",
        male="",
        female="H'",
        clan_first=True,
    ),
    "11": kinh_like("Lâm,Dương,Lý,Trần,Chăng"),  # Ngái
    "12": Prefixed(  # Ê Đê
        "Niê:25,Êban:15,Ayŭn:10,Mlô:10,Buôn Yă:6,Ksơr:8,Kpă:6,Byă:5,Adrơng:4,Mdrang:5,Êya:3,"
        "Knul:4,Hdơk:3,Bkrông:3,Hwing:2,Ktla:3",
        "Bhăm,Ngông,Blô,Khuê,Wang,Jút,Thuột,Kông,Ngơn,Djao,Blưi,Bơ,Dhăm,Jel,Hiên,Suôn,Krư,"
        "Blưm,Thoan,Yơn,Đăm,Hồng,Biêr,Kuăn,Tih,Ngôn,Wiêt,Lang",
        "Nhi,Lan,Huê,Tuyết,Hiên,Blim,Ruêt,Wiu,Djuăn,Nhu,Hen,Ngơn,Jô,Lim,Bia,Đăm,Pơn,Ni,Yôn",
    ),
    "13": kinh_like(  # Ba Na
        "Đinh:30,A:15,Y:10,Bùi:5,Phạm:3,Nguyễn:5",
        middle_m="Văn:10,:5",
        middle_f="Thị:10,:3",
        given_m="Blưm,Sang,Nghim,Plót,Bloan,Kông,Hmek,Grưl,Jơng,Hyưk,Yúp,Djuin,Thươl,Byưk,Nhíp",
        given_f="Hơ,Bloan,Jin,Hnhiên,Plin,Ngưk,Đưi,Tjơ,Nhiên",
    ),
    "14": kinh_like(  # Xơ Đăng
        "A:35,Y:25,Nguyễn:5,Lê:3,Đinh:5",
        middle_m=":10,Văn:3",
        middle_f=":10,Thị:4",
        given_m="Tiến,Thiếp,Đăng,Hiết,Rin,Kuang,Dinh,Phía,Hmin,Glang,Brôh,Khiêm,Vai,Hăng,Lâm",
        given_f="Bơm,Ngọc,Loan,Pai,Hiên,Rưm,Yên,Nhót,Phía,Bông",
    ),
    "15": kinh_like("Hoàng,Lâm,Nịnh,Ninh,Lý,Đàm,Trần,Đặng,La,Lục"),  # Sán Chay
    "16": Prefixed(  # Cơ Ho: "K'Brơi", "Ka Hòa"
        "K':1",
        "Brơi,Điệp,Sơn,Tiếp,Bình,Brỗ,Long,Sre,Ha Ry,Bríu,Jol,Dung,Ha Biên,Hoan",
        "Hòa,Dung,Xuân,Brỗ,Sim,Ly,Ha,Thoan,Mai,Diễm,Ri,Zin",
        male="",
        female="Ka ",
        clan_first=True,
        joined_female=True,
        women_clanless=True,
    ),
    "17": kinh_like(  # Chăm
        "Thành:10,Đàng:12,Thuận:8,Quảng:6,Trượng:5,Lưu:5,Châu:4,Bá:4,Thiên:3,Hán:4,Từ:3,"
        "Dụng:2,Sang:1,Mohamad:1",
        middle_m="Năng:5,Văn:8,Đại:3,Thanh:2,Quang:2",
        middle_f="Thị:10,Thanh:1",
        given_m="Thọ,Sanh,Phú,Tài,Sỹ,Chí,Nhân,Phiên,Lai,Du,Tấn,Saly,Ly,Sa Ri",
        given_f="Hoa,Lanh,Mây,Thu,Ngọc,Sa,Nguyệt,Lim,Bai",
    ),
    "18": kinh_like("Lưu,Trương,Lam,Diệp,Tằng,Hà,Lý,Dương,Ninh,Đặng"),  # Sán Dìu
    "19": kinh_like(  # Hrê
        "Đinh:30,Phạm:15,Nguyễn:3",
        given_m="Hơn,Mươu,Thê,Nguôn,Diêu,Pét,Bẻo,Lọt,Rét,Nhói",
        given_f="Liên,Thị,Bưu,Nhếch,Trúc,Oi,Rô",
    ),
    "20": kinh_like(  # Mnông
        "Điểu:25,Y:15,Trần:3,Nguyễn:3",
        middle_m=":10,K':3",
        middle_f="Thị:10",
        given_m="Lung,Đing,Khiêm,Chút,Bình,Ngõ,Brang,Nhuy,Sơn,Kră,Mol",
        given_f="Hoa,Bình,H'Lem,H'Mai,Drang,Bơi,Sa",
    ),
    "21": kinh_like(  # Raglai
        "Chamaléa:20,Pinăng:15,Katơr:10,Mấu:10,Cao:5,Bo Bo:4,Ma:3",
        given_m="Chính,Thiết,Bằng,Dũ,Phúc,Điều,Thông,Ngọc",
        given_f="Ái,Thủy,Dung,Lát,Hiền,Tuyết",
    ),
    "22": kinh_like("Điểu:10,Lâm:3,Trần:2", middle_m=":5,Văn:3"),  # Xtiêng
    "23": kinh_like(  # Bru-Vân Kiều
        "Hồ:50,Nguyễn:5,Lê:3,Đinh:3,Kray:2",
        given_m="Nhỉ,Cương,Lâm,Pòn,Xoong,Cút,Hoong,Lếch,Ploong",
        given_f="Nhơn,Phiếu,Pai,Xăm,Xinh,Hoa",
    ),
    "24": kinh_like("Nguyễn,Lê,Trương,Đinh,Hoàng,Lữ"),  # Thổ
    "25": kinh_like(  # Giáy
        "Sần:10,Lù:10,Vương:8,Hoàng:8,Lò:5,Vũ:4,Lồ:3,Ly:2",
        given_m="Sảo,Chúng,Sềnh,Phìn,Nhì,Pần",
        given_f="Phìn,Dần,Lùng,Séo,Mỷ",
    ),
    "26": kinh_like(  # Cơ Tu
        "Bhling:12,Alăng:12,Briu:10,Zơrâm:8,Clâu:8,Ating:8,Arất:6,Pơloong:6,Bh'riu:3,Coor:4",
        middle_m=":20,Văn:3",
        middle_f="Thị:10",
        given_m="Mia,Liếc,Bhơ,Nhâm,Tư,Pố,A Vô,Kiên,Hùng,Dung,Bích,Zương,Nhan",
        given_f="Hương,Nhím,Hoa,Dung,Blúi,Lam,Gấm,Thương",
    ),
    "27": kinh_like("A:10,Y:6,Hồ:4,Nguyễn:2", middle_m=":10", middle_f=":5,Thị:5"),  # Gié Triêng
    "28": kinh_like("K':10,Điểu:5,Ka:3", middle_m=":10", middle_f="Ka:3,Thị:2"),  # Mạ
    "29": kinh_like(  # Khơ Mú
        "Lò:15,Vi:10,Quàng:8,Cụt:6,Lường:5,Vừ:4,Lý:4",
        given_m="Ún,Phăn,Ỏn,Sói,Chăn,Bun,Khăm,Thoi,Phong",
        given_f="Ún,Ỏn,Sói,Bun,Khăm,Pái",
    ),
    "31": kinh_like(  # Tà Ôi
        "Hồ:25,Kăn:10,Căn:8,Quỳnh:4,Pả:4,A Viết:3,Trần:3",
        given_m="Sóc,Đông,Phơi,Kêm,Tút,Chi",
        given_f="Lưm,Blúi,Lê,Pư,Xanh",
    ),
    "35": kinh_like(  # Hà Nhì
        "Lý:20,Pờ:12,Chu:10,Phu:6,Lò:6,Sừ:5,Ly:4,Cổ:3,Pạ:3",
        middle_m="Gò:4,Xe:4,Phì:3,Mò:3,Là:3,Văn:5,A:3",
        middle_f="Ma:6,Thị:6,Mé:2",
        given_m="Xá,Chừ,Gạ,Hừ,Cà,Xừ,Pà,Chừa,Lé,Xơ,Khừ",
        given_f="Mé,Chừ,Xá,Pà,Hừ,Lé,Gồ",
    ),
}
GROUPS["30"] = GROUPS["14"]  # Co: named like the Xơ Đăng
GROUPS["32"] = GROUPS["22"]  # Chơ Ro
GROUPS["36"] = GROUPS["17"]  # Chu Ru
GROUPS["33"] = GROUPS["29"]  # Kháng
GROUPS["34"] = GROUPS["29"]  # Xinh Mun
GROUPS["40"] = GROUPS["35"]  # Phù Lá
GROUPS["41"] = GROUPS["35"]  # La Hủ
GROUPS["42"] = GROUPS["03"]  # Lự
GROUPS["43"] = GROUPS["08"]  # Lô Lô
GROUPS["46"] = GROUPS["09"]  # Pà Thẻn
GROUPS["48"] = GROUPS["03"]  # Cống
GROUPS["50"] = GROUPS["35"]  # Si La
GROUPS["51"] = GROUPS["02"]  # Pu Péo
GROUPS["52"] = GROUPS["14"]  # Brâu
GROUPS["54"] = GROUPS["14"]  # Rơ Măm
GROUPS["37"] = GROUPS["03"]  # Lào
GROUPS["38"] = GROUPS["35"]  # La Chí
GROUPS["39"] = GROUPS["03"]  # La Ha
GROUPS["44"] = GROUPS["23"]  # Chứt
GROUPS["45"] = GROUPS["35"]  # Mảng
GROUPS["47"] = GROUPS["35"]  # Cơ Lao
GROUPS["49"] = GROUPS["25"]  # Bố Y
GROUPS["53"] = GROUPS["29"]  # Ơ Đu


def person_name(rng: random.Random, ethnicity: str, sex: str) -> str:
    return GROUPS.get(ethnicity, Kinh).name(rng, sex)


# --- Where people live: the share of ethnic minorities and which groups, by province -------
# Province codes of the 34 provinces since 1 July 2025 (vietnam-provinces). (share of the
# population that is not Kinh, minority groups with weights). Rounded census figures of the
# merged provinces; good enough to make names and compliance plausible.

REGIONS = {
    "north_mountain": {4, 8, 11, 12, 14, 15, 19, 20},
    "north_delta": {1, 22, 24, 25, 31, 33, 37},
    "north_central": {38, 40, 42, 44, 46},
    "south_central": {48, 51, 56},
    "highlands": {52, 66, 68},
    "south": {75, 79, 80, 82, 86, 91, 92, 96},
}

PROVINCE_ETHNICITY: dict[int, tuple[float, str]] = {
    1: (0.02, "06:6,09:2,18:1,02:1"),
    4: (0.95, "02:40,07:32,08:11,09:11,15:1,43:1"),
    8: (0.70, "02:30,08:30,09:15,07:6,15:5,25:3,43:1,40:1,51:1"),
    11: (0.82, "03:46,08:42,29:4,35:2,09:2,42:1,33:1,50:1"),
    12: (0.85, "08:35,03:33,09:14,35:6,25:4,41:3,29:1,42:2,48:1"),
    14: (0.83, "03:65,08:19,06:8,29:3,33:1,34:2,39:1,09:1"),
    15: (0.60, "08:30,09:25,02:18,03:10,25:6,35:2,40:3,15:2,49:1,06:2"),
    19: (0.40, "02:50,07:14,09:14,18:10,15:6,08:3,47:1"),
    20: (0.84, "07:50,02:40,09:7,18:1,04:1,08:1"),
    22: (0.12, "09:40,02:30,18:15,15:10,04:5"),
    24: (0.12, "07:35,02:30,15:15,18:15,04:3,09:2"),
    25: (0.30, "06:80,02:6,09:7,03:3,18:2,04:1"),
    31: (0.005, "04:70,06:30"),
    33: (0.003, "06:60,02:40"),
    37: (0.02, "06:95,02:5"),
    38: (0.17, "06:55,03:38,08:3,24:3,29:1"),
    40: (0.14, "03:75,29:10,08:10,24:5"),
    42: (0.002, "37:60,44:40"),
    44: (0.05, "23:70,31:15,44:10,26:5"),
    46: (0.04, "31:60,26:30,23:10"),
    48: (0.04, "26:45,14:25,27:20,13:5,30:5"),
    51: (0.25, "14:40,19:30,13:12,30:8,27:5,54:2,52:3"),
    52: (0.35, "10:60,13:35,21:2,07:1,02:1,08:1"),
    56: (0.12, "21:45,17:35,16:10,05:3,04:3,12:4"),
    66: (0.20, "12:60,20:8,07:10,02:8,10:4,08:4,09:3,13:3"),
    68: (0.20, "16:35,20:15,28:12,17:10,07:8,02:8,36:6,08:3,12:3"),
    75: (0.07, "04:35,22:30,32:15,07:8,02:5,05:4,16:3"),
    79: (0.07, "04:75,05:15,17:8,02:1,07:1"),
    80: (0.02, "05:60,17:25,04:15"),
    82: (0.01, "04:60,05:40"),
    86: (0.11, "05:92,04:8"),
    91: (0.12, "05:80,04:10,17:10"),
    92: (0.15, "05:88,04:12"),
    96: (0.04, "05:75,04:25"),
}


def region_of(province_code: int) -> str:
    for region, codes in REGIONS.items():
        if province_code in codes:
            return region
    return "north_delta"


# --- Villages --------------------------------------------------------------------------------

MOUNTAIN_WORDS = Pool(
    "Nà,Huổi,Pá,Nậm,Phiêng,Co,Pú,Hua,Tà,Lũng,Khau,Bó,Nặm,Sán,Mường,Hang,Lao,Pác,Ta,Cốc,Khuổi,"
    "Bản,Mó,Thâm,Piềng,Xà,Chiềng,Sín,Phìn,Ma,Mè"
)
MOUNTAIN_ENDS = Pool(
    "Hỳ,Lếch,Mỳ,Kè,Lào,Chả,Hốc,Pục,Sang,Cang,Bon,Lanh,Vai,Mu,Chồ,Phìn,Chải,Sáng,Ngòa,Pe,Thé,"
    "Tỉnh,Lầu,Khang,Xay,Quang,Tấu,Sửu,Chà,Páng,Nọi,Luông,Mạ,Khoang,Bó,Póng,Cái,Mùn,Lay,Dín"
)
LOWLAND_NAMES = Pool(
    "Đông,Tây,Nam,Bắc,Thượng,Hạ,Trung,Yên Xá,Phú Lộc,An Thái,Đại Đồng,Hòa Bình,Tân Lập,Tiền Phong,"
    "Quyết Tiến,Thắng Lợi,Đoàn Kết,Hưng Long,Phú Mỹ,An Lạc,Bình Minh,Tân Hòa,Lương Điền,Văn Xá,"
    "Kim Lũ,Cổ Điển,Đình Trung,Hậu,Tiền,Ngọc Lâm,Xuân Phương,Vân Trai,Trù Mật,Phượng Dực,Mỹ Hưng,"
    "Thanh Bình,Đồng Tâm,Hợp Thành,Phúc Thịnh,Vĩnh Thịnh,Gia Hòa,Long Hưng,Phú Xuân,Đồng Xuân,"
    "Thạch Bàn,Cầu Đá,Bến Đò,Gò Găng,Rạch Miễu,Bàu Sen,Phước Lộc,Tân Phú,An Hội,Bình Đông,"
    "Hòa Thuận,Mỹ Khánh,Tân Quy,Long Thạnh,Vĩnh Hòa,Phước Hậu,An Nhơn,Trường Xuân"
)
HIGHLAND_NAMES = Pool(
    "Ko Sia,Ea Kmar,Kon Hring,Ea Bông,Plei Kơ Tu,Đê Tar,Ia Grăng,Dơk Lăk,Tơ Nung,Kon Jri,"
    "Bu Prăng,Đắk R'Moan,Ea Nao,Ko Tam,Plei Ring,Krông,Kơ Năng,Ea Ktur,Tul,Bu Nơr,Đăk Pơ,"
    "Ia Mơ Nông,Ea Sup,Chư Pơng,Bu Gia Mập,Đăk Ruồng,Kon Rơ Bang,Ea Tân,Tơ Drah,Cư Kpô"
)
KHMER_NAMES = Pool(
    "Tháp,Ô Rồm,Prêk,Sà Vần,Bưng Cốc,Trà Sết,Ô Chum,Kha Tâm,Sóc Xoài,Phnôm Pi,Tà Ân,Bà Xuyên,"
    "Chông Nô,Tà Lọt,Khmer,Kinh Ngây,Giồng Lớn,Cà Săng"
)


def village_plan(rng: random.Random, region: str, commune_kind: str, minority: bool):
    """The kind of the commune's villages and a function naming the i-th one."""
    if commune_kind == "phuong":
        kind = {"south": "khu_pho", "south_central": "to_dan_pho"}.get(region, "to_dan_pho")
        if region == "north_central" and rng.random() < 0.3:
            kind = "khoi_pho"
        label = {"khu_pho": "Khu phố", "to_dan_pho": "Tổ dân phố", "khoi_pho": "Khối"}[kind]
        return kind, lambda i: f"{label} {i}" if rng.random() < 0.8 else f"{label} số {i}"
    if region == "north_mountain" and minority:
        kind = rng.choice(["ban", "thon", "ban"])
        label = "Bản" if kind == "ban" else "Thôn"
        return kind, lambda i: f"{label} {MOUNTAIN_WORDS.pick(rng)} {MOUNTAIN_ENDS.pick(rng)}"
    if region == "highlands" and minority:
        kind = rng.choice(["buon", "lang", "bon"])
        label = {"buon": "Buôn", "lang": "Làng", "bon": "Bon"}[kind]
        return kind, lambda i: f"{label} {HIGHLAND_NAMES.pick(rng)}"
    if region == "south":
        if minority and rng.random() < 0.5:
            return "soc", lambda i: f"Sóc {KHMER_NAMES.pick(rng)}"
        return "ap", lambda i: f"Ấp {i}" if rng.random() < 0.5 else f"Ấp {LOWLAND_NAMES.pick(rng)}"
    if region in ("north_delta", "north_central") and rng.random() < 0.25:
        return (
            "xom",
            lambda i: f"Xóm {i}" if rng.random() < 0.6 else f"Xóm {LOWLAND_NAMES.pick(rng)}",
        )
    return (
        "thon",
        lambda i: f"Thôn {i}" if rng.random() < 0.45 else f"Thôn {LOWLAND_NAMES.pick(rng)}",
    )


OCCUPATIONS = Pool(
    "Nông dân:40,Hưu trí:15,Cán bộ thôn:10,Buôn bán:6,Giáo viên:4,Công nhân:3,Tự do:5,"
    "Cán bộ hưu trí:5,Công an viên:2,Nội trợ:3,Ngư dân:1,Thợ may:1,Làm vườn:2,Cựu chiến binh:2,"
    "Y tá:0.5,Luật sư:0.3,Kinh doanh:2"
)
BACKGROUNDS = Pool(
    "village_head:14,party_cell:8,front:14,womens_union:12,farmers_union:10,veterans:12,"
    "youth_union:6,elder:10,teacher:3,retired_official:5,lawyer:0.3,jurist:0.7,assessor:0.7,"
    "police:2,army:0.8,legal_official:0.5,former_judge:0.1,other:3"
)
EDUCATION = Pool(
    "none:3,primary:8,lower_secondary:30,upper_secondary:35,vocational:9,college:5,"
    "university:9,postgraduate:1"
)
