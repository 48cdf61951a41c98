"""Name pools of Kestrel's offices, and the ASCII folding that turns names into emails and logins."""

from __future__ import annotations

import unicodedata

FIRST: dict[str, tuple[str, ...]] = {
    "ie": (
        "Aoife", "Ciara", "Niamh", "Saoirse", "Siobhán", "Sinéad", "Orla", "Róisín", "Clodagh", "Gráinne",
        "Eimear", "Aisling", "Caoimhe", "Méabh", "Deirdre", "Ciarán", "Cian", "Oisín", "Seán", "Darragh",
        "Pádraig", "Eoin", "Colm", "Donal", "Fionn", "Ronan", "Conor", "Declan", "Diarmuid", "Tadhg",
        "Killian", "Lorcan", "Rory", "Emma", "Sarah", "David", "Mark", "Paul", "Michael", "Laura",
    ),
    "pl": (
        "Anna", "Katarzyna", "Magdalena", "Agnieszka", "Joanna", "Małgorzata", "Aleksandra", "Zofia",
        "Natalia", "Karolina", "Marta", "Ewa", "Piotr", "Krzysztof", "Tomasz", "Paweł", "Michał", "Marcin",
        "Jakub", "Łukasz", "Mateusz", "Bartosz", "Kamil", "Wojciech", "Grzegorz", "Adam", "Szymon", "Maciej",
        "Dawid", "Rafał",
    ),
    "na": (
        "James", "Olivia", "Liam", "Emma", "Noah", "Ava", "Ethan", "Sophia", "Mason", "Chloe", "Lucas", "Mia",
        "Logan", "Harper", "Benjamin", "Ella", "Jacob", "Grace", "Owen", "Zoe", "Nathan", "Hannah", "Ryan",
        "Priya", "Wei", "Jin", "Carlos", "Sofia", "Mateo", "Aaliyah", "Jordan", "Taylor", "Morgan", "Avery",
    ),
    "in": (
        "Aarav", "Vivaan", "Aditya", "Arjun", "Sai", "Krishna", "Rohan", "Karthik", "Rahul", "Vikram",
        "Siddharth", "Pranav", "Ananya", "Diya", "Priya", "Kavya", "Sneha", "Divya", "Meera", "Lakshmi",
        "Pooja", "Nisha", "Shreya", "Aishwarya", "Harish", "Manoj", "Suresh", "Deepak", "Naveen", "Varun",
    ),
    "sg": (
        "Wei Ling", "Jun Jie", "Hui Min", "Zhi Hao", "Xin Yi", "Jia Hui", "Kai Wen", "Li Ting", "Ming",
        "Shu Fen", "Siti", "Nurul", "Farah", "Aisyah", "Hafiz", "Irfan", "Rizwan", "Ravi", "Deepa", "Daniel",
        "Rachel", "Marcus", "Joanne", "Gabriel", "Shawn", "Cheryl", "Bryan", "Valerie",
    ),
}  # fmt: skip

LAST: dict[str, tuple[str, ...]] = {
    "ie": (
        "Murphy", "Kelly", "O'Sullivan", "Walsh", "Smith", "O'Brien", "Byrne", "Ryan", "O'Connor", "O'Neill",
        "Doyle", "McCarthy", "Gallagher", "Doherty", "Kennedy", "Lynch", "Murray", "Quinn", "Moore",
        "McLoughlin", "Carroll", "Connolly", "Daly", "Brennan", "Fitzgerald", "Nolan", "Kavanagh", "Dunne",
        "Farrell", "Hayes", "Keane", "Whelan", "Power",
    ),
    "pl": (
        "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński",
        "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur", "Kwiatkowski", "Krawczyk",
        "Piotrowski", "Grabowski", "Nowakowski", "Pawłowski", "Michalski", "Król", "Wieczorek", "Jabłoński",
        "Wróbel", "Majewski", "Olszewski", "Stępień", "Malinowski", "Górski",
    ),
    "na": (
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Martinez", "Wilson",
        "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris",
        "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Tremblay",
        "Gagnon", "Roy", "Côté", "Bouchard", "Nguyen", "Chen", "Patel", "Singh", "Kim",
    ),
    "in": (
        "Sharma", "Verma", "Gupta", "Iyer", "Reddy", "Nair", "Rao", "Menon", "Kumar", "Singh", "Patel",
        "Joshi", "Kulkarni", "Hegde", "Shetty", "Bhat", "Pillai", "Krishnan", "Subramanian", "Agarwal",
        "Desai", "Chatterjee", "Banerjee", "Mukherjee", "Naidu", "Gowda", "Kamath", "Prasad",
    ),
    "sg": (
        "Tan", "Lim", "Lee", "Ng", "Ong", "Wong", "Goh", "Chua", "Chan", "Koh", "Teo", "Ang", "Yeo", "Tay",
        "Ho", "Low", "Toh", "Sim", "Chong", "Chia", "Abdullah", "Rahman", "Ismail", "Hassan", "Pillai", "Raj",
    ),
}  # fmt: skip

#: Polish first names that take the feminine form of a -ski surname.
_FEMININE_PL = {
    "Anna", "Katarzyna", "Magdalena", "Agnieszka", "Joanna", "Małgorzata", "Aleksandra", "Zofia", "Natalia",
    "Karolina", "Marta", "Ewa",
}  # fmt: skip


def full_name(pool: str, first: str, last: str) -> str:
    if pool == "pl" and first in _FEMININE_PL and last.endswith("ski"):
        last = last[:-1] + "a"
    if pool == "sg" and " " in first:
        return f"{last} {first}"
    return f"{first} {last}"


def ascii_fold(text: str) -> str:
    text = text.replace("ł", "l").replace("Ł", "L")
    folded = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()


def email_local(first: str, last: str) -> str:
    first_part = ascii_fold(first).replace(" ", "")
    last_part = ascii_fold(last).replace("'", "").replace(" ", "")
    return f"{first_part}.{last_part}"


def login_for(first: str, last: str, style: int, number: int) -> str:
    f = ascii_fold(first).replace(" ", "")
    last_part = ascii_fold(last).replace("'", "").replace(" ", "")
    styles = (
        f"{f}{last_part}",
        f"{f}-{last_part}",
        f"{f[0]}{last_part}",
        f"{last_part}{f[0]}",
        f"{f}-{last_part}-ka",
        f"{f}{last_part}{number % 100:02d}",
        f"{f[:3]}{last_part[:4]}",
    )
    return styles[style % len(styles)]
