"""Text of the sample cohort. All people, employers and events are fictional.

apr-001 (Riya Shah, Brightwater Housing): gateway-ready, 11 pieces covering every
professional-discussion KSB. apr-002 (Sam Okafor, Northgate Telecom): not ready: 7 pieces,
an unredacted customer phone number and e-mail, a witness testimony with no date or job
title, a proposal over 200 words, maths level 2 not achieved, 10 months on programme.
"""

APPRENTICES = {
    "apr-001": {
        "yaml": {
            "name": "Riya Shah",
            "standard": "ST0071",
            "start_date": "2024-01-08",
            "english_l2": True,
            "maths_l2": True,
            "employer": "Brightwater Housing Association (Customer Hub)",
            "gateway_declaration_signed": True,
            "gateway_date": "2025-03-03",
        },
        "proposal": [
            "Work-based project proposal",
            "Riya Shah, Customer Hub Advisor, Brightwater Housing Association",
            "Project title: Cutting repeat calls about repair appointments",
            "Tenants who report a repair often call us two or three times to find out when an operative "
            "will arrive. Last quarter 31% of repair calls were repeat contacts. I will map the repair "
            "journey from the first report to the completed job, gather feedback from tenants and the "
            "repairs planners, and analyse three months of contact data to find where tenants lose "
            "confidence. I will then recommend changes to how appointments are confirmed and how delays "
            "are communicated, estimate their cost and benefit, and agree a trial with my manager. Success "
            "will be measured by the repeat-call rate, tenant satisfaction with repairs and the number of "
            "missed appointments. The project will cover our complaints policy, the Housing Ombudsman "
            "code and data protection when we use text messages.",
        ],
    },
    "apr-002": {
        "yaml": {
            "name": "Sam Okafor",
            "standard": "ST0071",
            "start_date": "2024-05-13",
            "english_l2": True,
            "maths_l2": False,
            "employer": "Northgate Telecom Ltd (Retentions team)",
            "gateway_declaration_signed": True,
            "gateway_date": "2025-03-17",
        },
        "proposal": [
            "Work-based project proposal",
            "Sam Okafor, Retentions Advisor, Northgate Telecom",
            "Project title: Why broadband customers leave after their first contract ends",
            "Every month a large number of our broadband customers reach the end of their minimum term and "
            "a worrying share of them leave without ever speaking to the retentions team, which means we "
            "never get the chance to understand what went wrong or to offer them something better. In my "
            "project I want to look at the whole journey of these customers from the moment they sign up "
            "to the moment they either renew or leave, and I want to understand what the different "
            "departments do at each step, including sales, provisioning, technical support, billing and "
            "retentions. I will collect feedback from customers who left, through a short survey and "
            "follow-up calls, and I will also look at our complaint records and the reasons customers give "
            "when they call to cancel. I will analyse the data by customer type, for example families, "
            "people working from home, students and older customers, because I think their needs are very "
            "different. Then I will make recommendations to my manager about changes to our end-of-contract "
            "letters, the offers we make and the way we handle the first technical fault, and I will try "
            "to estimate how much money the changes could save the business. I will also check that the "
            "recommendations follow Ofcom's end-of-contract notification rules and our own policies.",
        ],
    },
}

# Each piece: (file name, format, blocks). Blocks are ("h", text) headings, ("p", text)
# paragraphs, ("b", text) bullets, ("t", [[row], ...]) tables.
PIECES = {
    "apr-001": [
        ("01_witness_testimony_repairs_manager.docx", "docx", [
            ("h", "Witness testimony"),
            ("p", "Apprentice: Riya Shah, Customer Hub Advisor. Witness: Daniel Price."),
            ("p", "I manage the responsive repairs team and often take escalations from the Customer Hub. In "
                  "November a tenant with a young baby called for the fourth time about black mould that had "
                  "returned after a repair. Riya took ownership of the case. She listened to the tenant, "
                  "checked the repair history and saw that the extractor fan had never been replaced, which "
                  "was why the mould kept coming back."),
            ("p", "Riya tried several approaches before coming to me. She first arranged a mould wash through "
                  "the planners, then offered a temporary dehumidifier from the hub stock, and when the "
                  "tenant said the bedroom was unusable she escalated the case to me because a decant or a "
                  "fan replacement outside the planned programme is above her authority. She explained "
                  "clearly why it needed my decision: the health risk to the baby and the repeated failed "
                  "repairs."),
            ("p", "She promised the tenant a call back by 4pm with a date, and she called at 2.30pm once I "
                  "had approved the fan. The work was completed within five days and the tenant has not "
                  "called again. This is typical of how Riya resolves complex cases."),
            ("p", "Signed: D. Price"),
            ("p", "Job title: Responsive Repairs Manager"),
            ("p", "Date: 14 January 2025"),
        ]),
        ("02_reflective_account_authority_and_cost.docx", "docx", [
            ("h", "Reflective account: compensation, authority limits and cost"),
            ("p", "Our compensation policy lets advisors award up to £50 for a missed appointment; anything "
                  "higher, and any goodwill payment for damaged belongings, has to be approved by a team "
                  "leader. The limits exist because payments come from the repairs budget, which is set "
                  "each year and shared across 9,000 homes, and because the Housing Ombudsman expects "
                  "awards to be consistent between tenants."),
            ("p", "In December a tenant asked for £200 after two missed gas appointments. I checked what "
                  "the policy allowed and awarded the £50 that was within my limit straight away. I then "
                  "explained that I would refer the rest of her request to my team leader because it was "
                  "over my authority, and I gave her the reasons the team leader would consider."),
            ("p", "I also thought about cost. Instead of booking a third appointment with the contractor, "
                  "which costs us £85 each time, I asked the gas engineer who was already on her estate "
                  "that afternoon to call in. This saved the cost of another visit and fixed the boiler "
                  "two days sooner, which was better value for the tenant and for us."),
        ]),
        ("03_call_log_complex_cases.pdf", "pdf", [
            ("h", "Call log: complex cases, February"),
            ("p", "Case 4471: leak through ceiling from flat above. Referred to out-of-hours emergency team "
                  "because water was near electrics. Promised call back within 1 hour: kept (40 minutes)."),
            ("p", "Case 4490: rent account query from a tenant with a hearing impairment. Arranged a text "
                  "relay call. Promised a statement by post in 3 days: kept."),
            ("p", "Case 4512: anti-social behaviour report. Referred to the neighbourhood officer as a "
                  "specialist case; explained the process and timescale. Promised an update on Friday: kept."),
            ("p", "Case 4530: disputed recharge for a broken door. Escalated to the income team because the "
                  "recharge decision is theirs. Promised a call back the next day: missed by one day, I "
                  "apologised and explained the delay."),
            ("p", "Summary: 9 complex cases, 8 promises kept. Each referral gives the reason it needed a "
                  "specialist or a decision above my authority."),
        ]),
        ("04_one_to_one_review_november.docx", "docx", [
            ("h", "One-to-one review, November 2024"),
            ("p", "Present: Riya Shah and Helen Morris (Customer Hub Team Leader)."),
            ("p", "Review of last goal: Riya set herself the goal of handling repair escalations without "
                  "transferring them. She completed the planners' shadowing day, built a checklist and has "
                  "transferred only two escalations since September, down from eleven."),
            ("p", "Supporting colleagues: Riya has buddied two new advisors. She sat with each of them for "
                  "their first week of calls, showed them how to read the repair history and shared her "
                  "checklist. Both now pass their call quality checks first time."),
            ("p", "New goals: complete the complaints handling e-learning by January, and present the repair "
                  "checklist at the team meeting so everyone can use it."),
        ]),
        ("05_personal_development_plan.docx", "docx", [
            ("h", "Personal development plan 2024-25"),
            ("t", [["Goal", "Actions", "Target date", "Progress"],
                   ["Handle repair escalations myself", "Shadow planners; build checklist", "Sept 2024",
                    "Achieved: transfers down from 11 to 2"],
                   ["Keep up to date with housing regulation", "Read the Housing Ombudsman complaint code; "
                    "attend the Institute of Customer Service webinar", "Dec 2024", "Achieved; notes in CPD log"],
                   ["Improve written replies", "Use plain English guide; ask for feedback on 5 emails",
                    "Feb 2025", "In progress: 3 of 5 reviewed"]]),
            ("p", "Reviewed with my skills coach on 9 January 2025."),
        ]),
        ("06_cpd_log.md", "md", [
            ("h", "CPD log"),
            ("p", "**October 2024.** Read the Housing Ombudsman Complaint Handling Code. I learned that a "
                  "stage 1 response must be sent within 10 working days. I changed how I log complaints so "
                  "the deadline shows on the case."),
            ("p", "**November 2024.** Institute of Customer Service webinar on vulnerable customers. I now "
                  "ask an open question about support needs at the start of repair calls and record it on "
                  "the tenant's profile."),
            ("p", "**January 2025.** Compared our repair text messages with those of two other housing "
                  "associations I found through the HouseMark network. I suggested adding the operative's "
                  "name, which our planners agreed to try."),
        ]),
        ("07_email_thread_lettings_team.eml", "eml", {
            "from": "Riya Shah <riya.shah@brightwater.example>",
            "to": "Skills Coach <coach@trainingco.example>",
            "subject": "FW: Keys for new tenancy - help needed",
            "date": "Tue, 10 Dec 2024 11:02:00 +0000",
            "body": [
                "Hi, forwarding this as evidence of working with the lettings team. Riya",
                "---------- Forwarded message ----------",
                "From: Riya Shah",
                "To: Lettings Team",
                "Hi Marcus, I know you are under pressure with year-end viewings, so I have kept this short. "
                "A new tenant signs at 2pm tomorrow and the void team says the keys are still with the "
                "contractor. I have already called the contractor and they will drop the keys at your office "
                "by 10am. Could you confirm you will be there? I will tell the tenant by 12 noon either way.",
                "From: Marcus Bell, Lettings Officer",
                "Thanks Riya, that is really helpful. Yes, I will be in from 9. Much appreciated that you "
                "sorted the contractor rather than just passing it on.",
                "From: Riya Shah",
                "Keys arrived at 9.40. I called the tenant at 11 as promised. Internal colleagues like the "
                "lettings team need quick, clear information, while tenants need reassurance, so I adapt how "
                "I communicate with each.",
            ],
        }),
        ("08_reflective_account_leading_the_hub.pdf", "pdf", [
            ("h", "Reflective account: leading the hub during the storm"),
            ("p", "When Storm Darragh hit in December, my team leader was off sick and I was asked to lead "
                  "the hub for the day. Call volumes were four times normal. I used a directive style in the "
                  "first hour: I gave each advisor a clear role, one on emergency repairs, one on call backs "
                  "and one on social media, because people needed quick decisions."),
            ("p", "Once things were under control I switched to a more supportive, coaching style. I checked "
                  "in with a newer colleague who was upset after an abusive call, talked through what had "
                  "happened and let her take a break. Later I asked the team democratically how we should "
                  "handle the backlog, and we agreed to prioritise vulnerable tenants first."),
            ("p", "I learned that no single leadership style works all the time. Directive leadership suited "
                  "the emergency, but coaching and involving the team kept morale up and got better ideas."),
        ]),
        ("09_tenant_satisfaction_analysis.docx", "docx", [
            ("h", "Tenant satisfaction with repairs: my analysis"),
            ("p", "I analysed 412 post-repair survey responses from October to December. Overall "
                  "satisfaction with repairs was 71%. Satisfaction was 86% when the job was fixed first "
                  "time and 48% when it needed a second visit."),
            ("p", "The strongest driver of satisfaction and trust was being kept informed: tenants who got a "
                  "reminder text were far more likely to rate us highly and to recommend us. Tenants who "
                  "are satisfied are also less likely to complain or to fall behind with rent, which "
                  "matters to our income team."),
            ("p", "Value to the organisation: each repeat call costs about £4.20 in advisor time. Reducing "
                  "repeat repair calls by a third would save around £9,000 a year and improve our Tenant "
                  "Satisfaction Measures score, which the regulator publishes."),
        ]),
        ("10_reflection_value_of_first_time_fix.txt", "txt", [
            ("p", "Reflection: the value of getting it right first time"),
            ("p", "I worked out what my work on repair calls is worth to Brightwater. When I check the repair "
                  "history and book the right trade first time, we avoid a wasted visit (£85) and a repeat "
                  "call (£4.20). In January I did this on 23 calls where the previous booking was wrong."),
            ("p", "I also choose the cheaper option when it gives the tenant the same result: a phone "
                  "diagnosis with the planner instead of an inspection visit for simple faults. I only do "
                  "this when the tenant agrees and is not vulnerable, so we save money without risking a "
                  "worse service."),
        ]),
        ("11_guide_for_new_advisors.docx", "docx", [
            ("h", "Repairs calls: a guide for new advisors"),
            ("p", "I wrote this guide after buddying two new starters, to share what I have learned about "
                  "repair calls. I updated it after their questions in their first month."),
            ("b", "Always read the repair history before booking: most repeat calls come from the wrong trade."),
            ("b", "Ask about support needs at the start of the call."),
            ("b", "Never promise a time slot the planners have not confirmed."),
            ("p", "Version 2, February 2025: added a section on damp and mould after questions from the team."),
        ]),
    ],
    "apr-002": [
        ("WT_team_leader.docx", "docx", [
            ("h", "Witness testimony"),
            ("p", "Sam handled a customer who had been without broadband for nine days. He listened, "
                  "apologised and booked an engineer for the next morning, then called the customer back "
                  "as he had promised to check the line was working."),
            ("p", "Signed: P. Hughes"),
        ]),
        ("reflective_account_escalating_faults.docx", "docx", [
            ("h", "Reflective account: escalating a repeat fault"),
            ("p", "A customer had three engineer visits for the same fault. I recognised that the fault "
                  "needed the network specialists because the line tests showed a problem outside the "
                  "house, which our field engineers cannot fix. I escalated it with the full history so "
                  "the customer did not have to explain again."),
        ]),
        ("FW_complaint_about_bill.eml", "eml", {
            "from": "Sam Okafor <sam.okafor@northgate.example>",
            "to": "Skills Coach <coach@trainingco.example>",
            "subject": "FW: complaint about my bill",
            "date": "Mon, 3 Feb 2025 09:15:00 +0000",
            "body": [
                "Forwarding as evidence for K9 and S8.",
                "From: Mrs Janet Whitlow <janet.whitlow@example.net>",
                "Sent: 28 January 2025",
                "I have been charged £64 instead of £32. Please call me on 07700 900123.",
                "From: Sam Okafor",
                "Dear Mrs Whitlow, I have refunded the £32 overcharge, which is within my authority. A "
                "further goodwill credit would need my manager's approval, so I have asked her. I chose a "
                "bill credit rather than a cheque because it costs us less to process and reaches you sooner.",
            ],
        }),
        ("pdp_2024.docx", "docx", [
            ("h", "Personal development plan"),
            ("p", "Goal: learn more about fibre products. Action: complete the product e-learning. "
                  "Progress: completed in November and I now explain full-fibre upgrades to customers."),
        ]),
        ("cpd_notes.md", "md", [
            ("h", "CPD notes"),
            ("p", "Read Ofcom's guidance on end-of-contract notifications and changed how I explain "
                  "renewal prices to customers."),
        ]),
        ("team_meeting_notes.docx", "docx", [
            ("h", "Team meeting notes, January"),
            ("p", "Sam showed the team how he uses the fault history screen before escalating, so that "
                  "new advisors can do the same."),
        ]),
        ("retention_call_notes.txt", "txt", [
            ("p", "Retention calls this week: I explained our loyalty pricing and why customers who get a "
                  "fair renewal offer stay longer and recommend us to friends."),
        ]),
    ],
}
