"""Text the benchmark builds its corpus from: neutral paragraphs written for the benchmark, in
the voice of clinic and wellness sites (visits, policies, team, general information). Claims come
from the project's own labelled corpus (tests/corpus), mixed in at a realistic density."""

NEUTRAL = [
    "{clinic} is on the second floor of the {street} building, across from the public library. "
    "Street parking is free after six, and the garage on {street} validates tickets at our front desk.",
    "When you book your first visit, our coordinator will send a short intake form by email. Please "
    "bring a photo ID, your insurance card if you have one, and a list of the medicines you take.",
    "Our front desk answers calls on weekdays from morning until early evening. Messages left after "
    "hours are returned the next business day, usually before noon.",
    "{name} joined {clinic} after several years at a community health center in {city}. Outside the "
    "clinic she coaches a youth swim team and volunteers at the county food bank.",
    "{name} trained in internal medicine and later completed a fellowship in addiction medicine. He "
    "leads our weekly case review, where the whole care team plans each patient's next steps.",
    "We accept most major credit cards, health savings accounts and flexible spending accounts. "
    "Payment is due at the time of service unless you have arranged a plan with our billing office.",
    "If you need to cancel or move an appointment, please let us know at least a day ahead so that "
    "someone on our waiting list can take the slot.",
    "The waiting room has a quiet corner with books and puzzles for children, and there is a "
    "private room for nursing parents next to the reception desk.",
    "All of our rooms are on one level and can be reached without stairs. Let us know if you need an "
    "interpreter, a wheelchair or a longer appointment, and we will arrange it before you arrive.",
    "Our clinicians are licensed in {state}, and video visits are available to anyone who is in the "
    "state at the time of the appointment.",
    "We keep your records in an encrypted system and share them only with the people you name. You "
    "can ask for a copy of your chart at any time through the patient portal.",
    "The portal lets you see upcoming visits, send a message to your care team, pay a bill and "
    "download receipts for your insurer.",
    "Sleep, movement, food and the people around us all shape how we feel from day to day. Many "
    "people find it useful to keep a simple journal for a couple of weeks before a first visit.",
    "A first visit usually starts with questions about your history, your goals and what you have "
    "already tried. It is a conversation, and you are welcome to bring someone you trust.",
    "Our newsletter goes out once a month with clinic news, staff introductions and dates for the "
    "free community talks we host in the library meeting room.",
    "We are closed on public holidays. During the winter break the phone line stays open for "
    "prescription questions, and the on-call clinician can be reached through the answering service.",
    "{clinic} was founded by a small group of nurses and physicians who wanted unhurried "
    "appointments and a team that knows each patient by name.",
    "The building has a ramp at the side entrance, an elevator, and accessible restrooms on every "
    "floor. Service animals are always welcome.",
    "If you are running late, please call the front desk. We will do our best to see you, although "
    "we may need to shorten the visit or move it to another day.",
    "Questions about a bill can go to our billing team by phone or through the portal. We can "
    "provide an itemized statement for out-of-network reimbursement on request.",
    "Our team includes nurses, a pharmacist, a dietitian and two licensed counselors, and we meet "
    "as a group to plan care for anyone who sees more than one of us.",
    "Please arrive a few minutes early for your first appointment so we can take your vital signs "
    "and go over the forms you filled in at home.",
    "Wear comfortable clothes, and bring a water bottle and a light snack if your visit is long. "
    "Blankets and pillows are available in every room.",
    "We are an in-network provider for several regional insurers. Coverage varies by plan, so we "
    "suggest calling the number on the back of your card to ask about your benefits.",
    "Minors need a parent or guardian present at the first visit, and we ask both of them to sign "
    "the consent forms.",
    "The clinic is a short walk from the {street} bus stop and the light rail station. Bicycle racks "
    "are next to the main entrance.",
    "Our community talks cover topics such as reading a nutrition label, planning meals on a budget "
    "and talking with teenagers about screen time.",
    "We welcome feedback. A short survey arrives by email after each visit, and the practice manager "
    "reads every reply.",
    "Records from other clinics can be sent to us by fax or through the secure portal. Ask your "
    "previous provider to include recent lab results and a list of medicines.",
    "{name} grew up in {city} and studied nursing at the state university. She has worked in "
    "emergency care, home health and primary care.",
    "Every room has adjustable lighting and a sound machine, and you can bring headphones if you "
    "prefer your own music during longer visits.",
    "Follow-up visits are usually shorter and can often be done by video. Your clinician will suggest "
    "a schedule at the end of each appointment.",
    "Gift cards can be bought at the front desk or online and can be used for classes, workshops "
    "and products in our shop.",
    "Our shop carries journals, water bottles and a small selection of books chosen by the staff. "
    "Proceeds support the community talk series.",
    "During flu season we ask anyone with a fever or cough to call before coming in, so that we can "
    "arrange a video visit or a separate waiting area.",
    "Parking spaces reserved for people with disabilities are directly in front of the entrance, "
    "and the curb has a ramp.",
    "We send reminders by text message two days before each visit. Reply to the message to confirm, "
    "or call the desk if you need a different time.",
    "A glossary at the end of this page explains terms such as intake, care plan, referral and "
    "prior authorization.",
    "Our workshops are small, and places are limited. Sign-up opens at the start of each month on "
    "the events page.",
    "{clinic} partners with local gyms, the public library and two community gardens to offer free "
    "classes in the spring and autumn.",
]

HEADINGS = [
    "Visiting us", "Your first appointment", "Meet the team", "Billing and insurance",
    "Frequently asked questions", "Our approach", "Getting here", "Policies", "Community",
    "What to bring", "How it works", "About {clinic}", "Patient resources", "News",
]

CLINICS = ["Northfield Wellness", "Cedar & Pine Health", "Harbor Lane Clinic", "Blue Heron Care",
           "Riverside Integrative", "Summit Family Health", "Lakeshore Wellness Studio",
           "Greenway Medical", "Willow Street Clinic", "Meadowbrook Health"]
CITIES = ["Portland", "Asheville", "Madison", "Boulder", "Savannah", "Tucson", "Burlington",
          "Santa Fe", "Ann Arbor", "Spokane"]
STATES = ["Oregon", "North Carolina", "Wisconsin", "Colorado", "Georgia", "Arizona", "Vermont",
          "New Mexico", "Michigan", "Washington"]
STREETS = ["Alder", "Main", "Juniper", "Harbor", "Elm", "Market", "Chestnut", "Front", "Grove",
           "Union"]
NAMES = ["Dana Whitfield", "Marcus Lee", "Priya Raman", "Elena Sokolova", "Tom Ashby",
         "Grace Okafor", "Luis Moreno", "Hannah Berg", "Samir Haddad", "June Park"]

# A page in which no rule can fire: no numbers, no treatment, outcome or comparison words.
QUIET = [
    "Visiting our studio",
    "Our studio sits on a quiet street in {city}, next to a small park with a playground and a "
    "coffee cart. The building is green, and the entrance faces the park.",
    "Parking is available on the street and in the public lot behind the library. The lot is "
    "open to everyone on weekends and in the evening.",
    "Our reception team can answer questions about directions, parking and accessibility. They "
    "can also book, move or cancel appointments for you.",
    "The building has an elevator, a ramp at the side entrance and restrooms for wheelchair users "
    "on each floor. Service animals are welcome.",
    "Please let the reception team know if you would like an interpreter. We arrange interpreters "
    "for many languages, including sign language.",
    "The waiting area has a reading corner for children, a quiet room for anyone who needs a "
    "moment alone, and a shelf of games for waiting children.",
    "We ask visitors to silence their phones in the waiting area and to keep conversations "
    "quiet, out of respect for others.",
    "Our staff room is behind the reception desk. Deliveries can be left with the reception team "
    "during opening hours.",
    "The library next door hosts a book club, a knitting circle and a chess group. Posters for "
    "upcoming events hang by our front door.",
    "Bicycle racks stand next to the main entrance, and a bus stop is across the road.",
]
