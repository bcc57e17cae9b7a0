"""The models' field descriptions, from the schemas' xs:documentation (generated).

Do not edit: run ``python -m lgstandards.models._describe`` after changing a schema
or a model (the tests check that this table is up to date).
"""

#: ``{"module.Class": {"field": "description"}}``, for the fields each class declares.
DESCRIPTIONS: dict[str, dict[str, str]] = {
    "lgstandards.models.common.AONRange": {
        "number": "The number.",
        "suffix": "The suffix letter, if any.",
    },
    "lgstandards.models.common.AON": {
        "start_range": "The (first) number.",
        "end_range": "The last number of a range (12-14).",
        "description": "A building or flat name.",
    },
    "lgstandards.models.common.BS7666Address": {
        "saon": "Secondary addressable object (flat, unit).",
        "paon": "Primary addressable object (building number or name).",
        "street": "Street name or description.",
        "locality": "Locality (village, suburb).",
        "town": "Town.",
        "administrative_area": "Administrative area (county or unitary area).",
        "post_town": "Royal Mail post town.",
        "postcode": "Postcode.",
        "uprn": "Unique Property Reference Number.",
        "usrn": "Unique Street Reference Number.",
    },
    "lgstandards.models.common.PersonName": {
        "title": "Titles (Mr, Dr, Cllr ...).",
        "given_name": "Given names in order.",
        "family_name": "Family name.",
        "suffix": "Name suffixes (Jr, OBE ...).",
        "requested_name": "The name the person asks to be known by.",
    },
    "lgstandards.models.common.BankAccount": {
        "account_name": "Name of the account holder.",
        "sort_code": "Sort code.",
        "account_number": "Account number.",
        "roll_number": "Building society roll number, if the account has one.",
    },
    "lgstandards.models.common.MoneyAmount": {
        "currency": "ISO 4217 currency code.",
    },
    "lgstandards.models.common.IRmark": {
        "type": "generic (the only IRmark type lgstandards writes).",
    },
    "lgstandards.models.common.MessageHeader": {
        "message_id": "The sender's unique id for this message.",
        "created": "When the message was created.",
        "sender": "The council the message is sent by or on behalf of (ONS GSS code).",
        "receiver": "The receiving system or organisation, if addressed.",
        "language": "Language of citizen-facing text in the message.",
        "test": "yes for a test message that must not be acted on.",
        "ir_mark": (
            "Integrity digest of the GovTalk Body carrying this message (HMRC IRmark style, rule "
            "COM-R013); since 1.1."
        ),
    },
    "lgstandards.models.epay.Payer": {
        "name": "Payer's name.",
        "address": "Payer's address.",
        "email": "E-mail for the receipt.",
        "telephone": "Telephone number.",
    },
    "lgstandards.models.epay.PaymentLine": {
        "line_id": "Line id, unique in the request (1 to 50 characters).",
        "fund_code": "Fund the money goes to.",
        "account_reference": "Account paid (rule EPAY-R006).",
        "description": "What is paid for (rule EPAY-R005).",
        "amount": "Line amount in pounds, greater than zero (rule EPAY-R002).",
        "quantity": "Number of items, if more than one.",
        "vat_code": "VAT code.",
        "vat_amount": "VAT included in Amount.",
        "narrative": "Narrative for the ledger (rule EPAY-R005: at most 50 characters).",
    },
    "lgstandards.models.epay.Card": {
        "masked_card_number": "First six and last four digits (rule EPAY-R009).",
        "card_scheme": "Card scheme.",
        "card_type": "Credit or debit.",
    },
    "lgstandards.models.epay.Allocation": {
        "fund_code": "Fund.",
        "account_reference": "Account credited (rule EPAY-R006).",
        "amount": "Amount allocated.",
        "vat_code": "VAT code.",
        "vat_amount": "VAT included.",
        "ledger_code": "General ledger code.",
        "narrative": "Narrative (rule EPAY-R005).",
        "true_account_reference": (
            "The account the money really belongs to, where it differs from AccountReference: a "
            "surcharge line is posted to the surcharge account under the true account of the "
            "payment it was charged on, and is not part of the authorised amount (rule EPAY-R016); "
            "since 1.1."
        ),
    },
    "lgstandards.models.epay.BatchHeader": {
        "file_id": "Unique file id.",
        "sequence_number": "Position of this file in the sender's sequence.",
        "period_from": "First day covered.",
        "period_to": "Last day covered (not before PeriodFrom, rule EPAY-R014).",
        "currency": "Currency of every amount (rule EPAY-R003).",
    },
    "lgstandards.models.epay.PaymentRecord": {
        "record_type": "PAYMENT, REFUND or DISPUTE.",
        "transaction_id": "Gateway transaction id.",
        "receipt_number": "Income management receipt number.",
        "fund_code": "Fund.",
        "account_reference": "Account.",
        "gross_amount": "Gross amount; negative for refunds and disputes.",
        "fee": "Gateway fee.",
        "net_amount": "Amount after the fee.",
        "transaction_date": "Day of the transaction.",
        "captured_date": "Day captured (rule EPAY-R014).",
        "settled_date": "Day settled (rule EPAY-R014).",
        "paid_out_date": "Day paid out to the council (rule EPAY-R014).",
        "payout_id": "Gateway payout id.",
    },
    "lgstandards.models.epay.FundTotal": {
        "fund_code": "Fund.",
        "record_count": "Records of this fund.",
        "total_gross": "Sum of their gross amounts (rule COM-R010).",
    },
    "lgstandards.models.epay.BatchTrailer": {
        "record_count": "Number of PaymentRecord elements.",
        "payment_count": "Records of type PAYMENT.",
        "refund_count": "Records of type REFUND.",
        "dispute_count": "Records of type DISPUTE.",
        "total_gross": "Sum of gross amounts.",
        "total_net": "Sum of net amounts.",
        "fund_total": "Totals per fund.",
    },
    "lgstandards.models.epay.PaymentRequest": {
        "schema_version": "Schema version of the message: 1.0 or 1.1.",
        "header": "Message header.",
        "request_id": "Idempotency key, unique per attempt.",
        "calling_application_id": "Calling application.",
        "calling_application_reference": "The calling application's own reference.",
        "channel": "Channel.",
        "return_url": "Where the payer returns after paying.",
        "payer": "Payer, if known.",
        "currency": "Currency, GBP (rule EPAY-R003).",
        "line": "Sale lines.",
        "sale_total": (
            "Sum of the line amounts (rule EPAY-R001), within gateway limits (rule EPAY-R004)."
        ),
    },
    "lgstandards.models.epay.PaymentResult": {
        "schema_version": "Schema version of the message: 1.0 or 1.1.",
        "header": "Message header.",
        "gateway_reference": "Gateway's payment id.",
        "request_id": "RequestId of the PaymentRequest.",
        "status": "Payment state.",
        "status_code": "Gateway result code.",
        "transaction_date": "When the payment was made.",
        "amount": "Amount authorised.",
        "currency": "Currency, GBP (rule EPAY-R003).",
        "authorisation_code": "Authorisation code.",
        "card": "Card used.",
        "fee": "Gateway fee.",
        "net_amount": "Amount after the fee.",
        "captured_date": "Day captured (rule EPAY-R014).",
        "settled_date": "Day settled (rule EPAY-R014).",
    },
    "lgstandards.models.epay.PaymentNotification": {
        "schema_version": "Schema version of the message: 1.0 or 1.1.",
        "header": "Message header.",
        "receipt_number": "Income management receipt number.",
        "gateway_reference": "Gateway's payment id.",
        "calling_application_id": "Calling application.",
        "calling_application_reference": "Calling application's reference.",
        "payment_date": "When paid.",
        "posting_date": "Ledger posting day (not before the payment day, rule EPAY-R014).",
        "method_of_payment": "Method-of-payment code.",
        "channel": "Channel.",
        "currency": "Currency, GBP (rule EPAY-R003).",
        "total_amount": (
            "Amount authorised; the allocations add up to it, surcharge lines apart (rule "
            "EPAY-R016)."
        ),
        "allocation": "Postings.",
        "payer": "Payer.",
        "authorisation_code": "Authorisation code.",
        "card": "Card used.",
    },
    "lgstandards.models.epay.RefundRequest": {
        "schema_version": "Schema version of the message: 1.0 or 1.1.",
        "header": "Message header.",
        "refund_request_id": "Idempotency key of the refund.",
        "gateway_reference": "Payment refunded.",
        "receipt_number": "Receipt of the payment.",
        "payment_date": "Day of the original payment.",
        "request_date": "Day of this request, not before the payment (rule EPAY-R012).",
        "currency": "Currency, GBP (rule EPAY-R003).",
        "original_amount": "Amount of the original payment.",
        "previously_refunded": "Earlier successful refunds of this payment.",
        "refund_amount": (
            "Amount to refund, at most the original less earlier refunds (rule EPAY-R010)."
        ),
        "reason": "Why the refund is made.",
        "requested_by": "Officer asking for the refund.",
        "method": "How the refund is paid.",
        "bank_account": "Account for a BACS refund.",
    },
    "lgstandards.models.epay.RefundNotification": {
        "schema_version": "Schema version of the message: 1.0 or 1.1.",
        "header": "Message header.",
        "refund_id": "Gateway's refund id.",
        "gateway_reference": "Payment refunded.",
        "refund_request_id": "RefundRequestId of the request.",
        "payment_date": "Day of the original payment.",
        "amount": "Amount refunded.",
        "currency": "Currency, GBP (rule EPAY-R003).",
        "status": "Refund state.",
        "created": "When the refund was created, not before the payment (rule EPAY-R012).",
        "settled_date": "Day settled (rule EPAY-R014).",
        "refunded_by": "Who made the refund.",
    },
    "lgstandards.models.epay.PaymentStatusQuery": {
        "schema_version": "Schema version of the message: 1.0 or 1.1.",
        "header": "Message header.",
        "query_id": "Query id.",
        "gateway_reference": "Payment asked about.",
        "calling_application_reference": "Calling application's reference asked about.",
        "page_number": "Page of results, from 1.",
        "page_size": "Results per page.",
    },
    "lgstandards.models.epay.ReconciliationBatch": {
        "schema_version": "Schema version of the message: 1.0 or 1.1.",
        "header": "Message header.",
        "batch_header": "What the batch covers.",
        "payment_record": "Transactions.",
        "trailer": "Control totals.",
    },
    "lgstandards.models.epay.Adjustment": {
        "kind": "discount, exemption, relief or reduction.",
        "code": "The billing authority's code for it.",
        "description": "What it is, as printed on the bill.",
        "amount": "Amount taken off the gross charge.",
    },
    "lgstandards.models.epay.Instalment": {
        "due_date": "Day the instalment is due, within the financial year (rule EPAY-R021).",
        "amount": "Amount of the instalment.",
    },
    "lgstandards.models.epay.CouncilTaxCharge": {
        "property": "The dwelling charged, with its UPRN.",
        "band": (
            "Valuation band (rule EPAY-R019: A to H in England and Scotland, A to I in Wales, by "
            "the billing authority's country, the Sender of the header)."
        ),
        "period_from": (
            "First day charged; the financial year (1 April to 31 March) of the instalments is the "
            "one this day falls in."
        ),
        "period_to": "Last day charged.",
        "gross_charge": "Charge for the period before discounts, exemptions and reliefs.",
        "adjustment": "Discounts, exemptions, reliefs and reductions.",
        "net_charge": "Charge after them; the instalments add up to it (rule EPAY-R020).",
        "instalment": (
            "The instalment plan, in due-date order (none when the charge is paid at once)."
        ),
    },
    "lgstandards.models.epay.PaymentReceived": {
        "payment_date": "Day paid.",
        "amount": "Amount paid.",
    },
    "lgstandards.models.epay.PenaltyCharge": {
        "pcn_number": "Penalty charge notice number.",
        "vehicle_registration_mark": "Vehicle registration mark.",
        "contravention_code": "Contravention code.",
        "contravention_date_time": "When the contravention was seen.",
        "location": "Where.",
        "service_method": "How the notice was served (on-street, postal, camera).",
        "stage": "Stage of the charge.",
        "notice_date": (
            "Day the penalty charge notice was served; the discount period runs from it (rule "
            "EPAY-R018)."
        ),
        "full_amount": "The penalty charge.",
        "discount_amount": "The discounted charge, payable by the discount deadline.",
        "discount_deadline": (
            "Last day the discounted charge may be paid (rule EPAY-R018: the notice date plus the "
            "dated discount period)."
        ),
        "amount_due": (
            "Amount due at this stage (after a charge certificate, the charge plus the dated "
            "uplift, rule EPAY-R018)."
        ),
        "payment_received": (
            "Payments already received (a discounted payment must be made by the deadline, rule "
            "EPAY-R018)."
        ),
    },
    "lgstandards.models.epay.PayoutTransaction": {
        "record_type": "PAYMENT, REFUND or DISPUTE.",
        "transaction_id": "Gateway transaction id.",
        "gateway_reference": (
            "Gateway's payment id (of the payment a refund or dispute belongs to)."
        ),
        "fund_code": "Fund.",
        "account_reference": "Account.",
        "gross_amount": "Gross amount; negative for refunds and disputes.",
        "fee": "Gateway fee.",
        "net_amount": "Amount after the fee; the payout adds them up (rule EPAY-R015).",
        "transaction_date": "Day of the transaction.",
    },
    "lgstandards.models.epay.Collection": {
        "collection_id": "The council's id of this collection.",
        "direct_debit_reference": "Mandate reference (rule EPAY-R022).",
        "transaction_code": "Bacs transaction code (first, regular, re-presented, final).",
        "bank_account": "Payer's account (rule EPAY-R022: the Bacs account name limit).",
        "fund_code": "Fund.",
        "account_reference": "Account the collection pays (rule EPAY-R006).",
        "amount": "Amount collected.",
    },
    "lgstandards.models.epay.ReturnedCollection": {
        "collection_id": "The council's id of the returned collection.",
        "direct_debit_reference": "Mandate reference (rule EPAY-R022).",
        "fund_code": "Fund.",
        "account_reference": "Account.",
        "original_collection_date": "Day of the returned collection.",
        "amount": "Amount returned.",
        "reason_code": "The bank's reason code.",
        "reason": "The reason in words.",
        "new_bank_account": "The payer's new account, for an amended instruction.",
    },
    "lgstandards.models.epay.PaymentRequestAccepted": {
        "schema_version": "Schema version of the message, 1.1 (the message is new in 1.1).",
        "header": "Message header.",
        "request_id": "RequestId of the PaymentRequest.",
        "status": "Whether the request was accepted.",
        "transaction_state": "State of the payment created.",
        "gateway_reference": "Gateway's payment id, when a payment was created.",
        "redirect_url": "Where to send the payer to pay.",
        "error_code": "Gateway's error code, for a refused request.",
        "error_message": "Gateway's error message.",
    },
    "lgstandards.models.epay.Dispute": {
        "schema_version": "Schema version of the message, 1.1 (the message is new in 1.1).",
        "header": "Message header.",
        "dispute_id": "Gateway's dispute id.",
        "gateway_reference": "Payment disputed.",
        "payment_date": "Day of the disputed payment.",
        "amount": "Amount disputed.",
        "fee": "Dispute fee the gateway charges.",
        "currency": "Currency, GBP (rule EPAY-R003).",
        "reason": "Card scheme's reason.",
        "status": "State of the dispute.",
        "created": "When the dispute was raised.",
        "evidence_due_date": "Last day to send evidence.",
    },
    "lgstandards.models.epay.Payout": {
        "schema_version": "Schema version of the message, 1.1 (the message is new in 1.1).",
        "header": "Message header.",
        "payout_id": "Gateway's payout id.",
        "paid_out_date": "Day paid out.",
        "currency": "Currency, GBP (rule EPAY-R003).",
        "amount": "Amount paid out: the sum of the transactions' net amounts (rule EPAY-R015).",
        "statement_reference": (
            "Reference the payment carries on the council's bank statement (what bank "
            "reconciliation matches; the PayoutId when absent)."
        ),
        "transaction": "Transactions settled.",
    },
    "lgstandards.models.epay.Demand": {
        "schema_version": "Schema version of the message, 1.1 (the message is new in 1.1).",
        "header": "Message header; Sender is the billing authority.",
        "demand_number": "Number of the bill or notice.",
        "issue_date": "Day issued.",
        "fund_code": "Fund paid into.",
        "account_reference": "Account to quote when paying (rule EPAY-R006).",
        "liable_person": "People liable to pay (for a penalty charge, the keeper or driver).",
        "currency": "Currency, GBP (rule EPAY-R003).",
        "council_tax": "A council tax bill.",
        "penalty_charge": "A penalty charge notice.",
        "balance": "Balance outstanding on the account, arrears included.",
    },
    "lgstandards.models.epay.DirectDebitInstruction": {
        "schema_version": "Schema version of the message, 1.1 (the message is new in 1.1).",
        "header": "Message header.",
        "instruction_id": "The council's id of this instruction.",
        "action": "new, amend or cancel.",
        "direct_debit_reference": "Mandate reference (rule EPAY-R022: 6 to 18 characters, Bacs).",
        "fund_code": "Fund collected for.",
        "account_reference": "Account the Direct Debit pays (rule EPAY-R006).",
        "bank_account": (
            "Payer's account (rule EPAY-R022: account name at most 18 characters, Bacs)."
        ),
        "frequency": "How often collected.",
        "instruction_date": "Day the payer gave the instruction.",
        "first_collection_date": (
            "Day of the first collection, after the Bacs lead time (rule EPAY-R023)."
        ),
        "amount": "Regular amount, when fixed.",
    },
    "lgstandards.models.epay.DirectDebitCollection": {
        "schema_version": "Schema version of the message, 1.1 (the message is new in 1.1).",
        "header": "Message header.",
        "file_id": "The council's id of this file.",
        "collection_date": "Day the collections are due.",
        "currency": "Currency, GBP (rule EPAY-R003).",
        "collection": "The collections.",
    },
    "lgstandards.models.epay.DirectDebitReturn": {
        "schema_version": "Schema version of the message, 1.1 (the message is new in 1.1).",
        "header": "Message header.",
        "return_id": "The bank's id of this report.",
        "report_date": "Day of the report.",
        "currency": "Currency, GBP (rule EPAY-R003).",
        "returned_collection": "Returned collections and amended instructions.",
    },
    "lgstandards.models.ebenefits.BackdatingRequest": {
        "requested_from": (
            "The date the claimant asks the claim to start from, if different from the date of "
            "claim."
        ),
        "reason": (
            "Why the claimant could not claim earlier (required when backdating is needed, rule "
            "BEN-R007)."
        ),
    },
    "lgstandards.models.ebenefits.ClaimDetails": {
        "submission_id": "The e-claim service's unique reference for this submission.",
        "claim_reference": "The benefits system's claim reference, once known.",
        "channel": "How the claim was made.",
        "benefit_claimed": "HB, CTR, or both (one element each).",
        "ctr_scheme_id": "The council's local Council Tax Reduction scheme, when CTR is claimed.",
        "date_of_claim": "The date the claim counts from (rules BEN-R003, BEN-R007).",
        "received_date": (
            "The date the council received the claim; the reporting date for pay dates (rule "
            "BEN-R010)."
        ),
        "backdating_request": (
            "A request to treat the claim as made earlier than it was received (rule BEN-R007)."
        ),
    },
    "lgstandards.models.ebenefits.Person": {
        "person_id": (
            "The person's id within the claim; PersonRef elements point to it (rule BEN-R015)."
        ),
        "name": "The person's name.",
        "birth_date": "Date of birth (before the date of claim, rule BEN-R003).",
        "national_insurance_number": (
            "National Insurance number, unique within the household (rules BEN-R001, BEN-R002)."
        ),
        "nino_not_held_reason": "Why no National Insurance number is given.",
        "gender": "Gender, if the form asks.",
    },
    "lgstandards.models.ebenefits.Contact": {
        "telephone": "Telephone number.",
        "email": "E-mail address.",
        "preferred_language": "Language for letters: en or cy.",
    },
    "lgstandards.models.ebenefits.Claimant": {
        "nationality": "Nationality, as stated.",
        "contact": "Contact details.",
        "address": "The home the claim is for.",
        "date_moved_in": "When the claimant moved into the home.",
        "lives_with_partner": (
            "yes when the claimant is one of a couple living together (then Partner is given, rule "
            "BEN-R005)."
        ),
        "passporting_benefit": (
            "A passporting benefit the claimant or partner receives (guarantee credit lifts the "
            "capital limit, rule BEN-R008)."
        ),
    },
    "lgstandards.models.ebenefits.Partner": {
        "relationship": "Married, civil partners or living together.",
        "date_joined_household": (
            "When the partner joined the household, if after the claimant moved in."
        ),
    },
    "lgstandards.models.ebenefits.Dependant": {
        "child_benefit_received": "Whether Child Benefit is paid for this dependant.",
        "disabled": "Whether the dependant receives a disability benefit or is registered blind.",
        "in_qualifying_education": (
            "yes for a young person aged 16 to 19 in full-time non-advanced education or approved "
            "training."
        ),
    },
    "lgstandards.models.ebenefits.Dependants": {
        "dependant": "One dependant.",
    },
    "lgstandards.models.ebenefits.NonDependant": {
        "relationship_to_claimant": "How the person is related to the claimant (son, friend ...).",
        "student": "Whether the person is a full-time student.",
        "gross_weekly_income": "The person's gross weekly income, if known.",
    },
    "lgstandards.models.ebenefits.NonDependants": {
        "non_dependant": "One non-dependant.",
    },
    "lgstandards.models.ebenefits.Landlord": {
        "name": "The landlord's name (a person or an organisation).",
        "address": "The landlord's address.",
        "contact": "The landlord's contact details.",
        "managing_agent": "The letting or managing agent, if any.",
    },
    "lgstandards.models.ebenefits.PeriodicAmount": {
        "amount": "The amount in pounds.",
        "frequency": "How often it is due.",
    },
    "lgstandards.models.ebenefits.ServiceCharge": {
        "description": "What the charge is for.",
        "amount": "The amount in pounds.",
        "frequency": "How often it is due.",
    },
    "lgstandards.models.ebenefits.Tenancy": {
        "tenure": "Private or social rented, owner-occupied ...",
        "landlord": "The landlord (required for a private tenancy, rule BEN-R013).",
        "rent": "The rent and how often it is due (above zero for an HB claim, rule BEN-R012).",
        "service_charge": "Service charges included in or paid with the rent.",
        "tenancy_start_date": "When the tenancy started.",
        "joint_tenant_count": "Number of joint tenants other than the claimant and partner.",
        "bedroom_count": "Number of bedrooms.",
        "council_tax_account_reference": "The council tax account for the home.",
    },
    "lgstandards.models.ebenefits.Employer": {
        "name": "The employer's name.",
        "address": "The employer's address.",
        "payroll_number": "The employee's payroll or works number.",
    },
    "lgstandards.models.ebenefits.Period": {
        "start_date": "First day of the period.",
        "end_date": "Last day of the period.",
    },
    "lgstandards.models.ebenefits.IncomeItem": {
        "item_id": "The item's id within the message; evidence items point to it with RelatesTo.",
        "person_ref": "The PersonId of the person who receives the income.",
        "category": "The kind of income.",
        "description": "A description (the benefit or pension name ...).",
        "employer": "The employer, for employment income.",
        "start_date": "When the income started.",
        "end_date": (
            "When the income ended (an ended employment needs a final payslip, rule BEN-R011)."
        ),
        "hours_per_week": "Usual hours worked a week.",
        "frequency": "How often the income is paid (rule BEN-R009).",
        "frequency_description": "How often, when Frequency is other (rule BEN-R009).",
        "gross_amount": "The gross amount paid each time.",
        "net_amount": "The net (take-home) amount paid each time.",
        "pay_period": (
            "The period the latest payment covers; its length must match the frequency (rule "
            "BEN-R009)."
        ),
        "pay_date": (
            "Dates payments were received, none later than the reporting date (rule BEN-R010)."
        ),
    },
    "lgstandards.models.ebenefits.Incomes": {
        "income_item": "One source of income of one person.",
    },
    "lgstandards.models.ebenefits.CapitalItem": {
        "item_id": "The item's id within the message; evidence items point to it with RelatesTo.",
        "person_ref": "The PersonId of each holder (two for a joint account).",
        "category": "The kind of capital.",
        "description": "A description (bank, account type ...).",
        "value": "The value or balance in pounds.",
        "valuation_date": "The date the value applies to.",
    },
    "lgstandards.models.ebenefits.Capital": {
        "capital_item": "One account, investment or property.",
    },
    "lgstandards.models.ebenefits.PaymentDetails": {
        "payee": "The claimant, the landlord or an appointee.",
        "landlord_payment_reason": "Why benefit should be paid to the landlord.",
        "bank_account": "The account to pay into.",
    },
    "lgstandards.models.ebenefits.EvidenceItem": {
        "evidence_type": "The kind of document.",
        "person_ref": "The PersonId of the person the evidence is about.",
        "relates_to": "The ItemId of the income or capital item the evidence supports.",
        "status": "Required, provided or waived.",
        "document_id": "The document's id in the council's document store (EDMS).",
        "received_date": "When the document was received.",
        "verification": "How the document was verified.",
    },
    "lgstandards.models.ebenefits.EvidenceList": {
        "evidence_item": "One piece of evidence.",
    },
    "lgstandards.models.ebenefits.RiskAssessment": {
        "category": "Low, medium or high risk.",
        "score": "The provider's score.",
        "provider": "Who assessed the risk.",
    },
    "lgstandards.models.ebenefits.Declaration": {
        "text_version": "The version id of the declaration text shown to the claimant.",
        "agreed": "Whether the claimant agreed (must be yes, rule BEN-R016).",
        "signatory_name": "The name typed or signed as signature.",
        "signed_date": "When it was signed (not before the date of claim, rule BEN-R016).",
        "employer_contact_consent": "Whether the council may contact employers.",
        "third_party_contact_consent": (
            "Whether the council may contact other persons and organisations named."
        ),
    },
    "lgstandards.models.ebenefits.ClaimantIdentity": {
        "name": "The claimant's name.",
        "birth_date": "The claimant's date of birth.",
        "national_insurance_number": "The claimant's National Insurance number.",
        "postcode": "The postcode of the home on the claim.",
    },
    "lgstandards.models.ebenefits.HouseholdMember": {
        "relationship_to_claimant": (
            "How the person is related to the claimant (partner, son, friend ...)."
        ),
    },
    "lgstandards.models.ebenefits.Change": {
        "change_type": "The kind of change.",
        "effective_date": (
            "When the change happened or will happen (not after the reported date plus the "
            "configured tolerance, rule BEN-R017)."
        ),
        "person_ref": "The PersonId (in the claim) of the person the change is about.",
        "description": "The change in the claimant's words.",
        "new_address": "The new address, for an address change.",
        "household_member": "The person who joined, for a household change.",
        "income_item": "The new or changed income.",
        "capital_item": "The new or changed capital.",
        "rent": "The new rent.",
        "bank_account": "The new bank account.",
    },
    "lgstandards.models.ebenefits.EvidenceDocument": {
        "evidence_type": "The kind of document.",
        "person_ref": "The PersonId (in the claim) of the person the document is about.",
        "relates_to": (
            "The ItemId (in the claim) of the income or capital item the document supports."
        ),
        "file_name": "The file name as uploaded.",
        "mime_type": "The media type.",
        "size": "The size of the file in bytes (equal to the decoded Content, rule BEN-R022).",
        "sha256": (
            "The SHA-256 digest of the file (equal to that of the decoded Content, rule BEN-R022)."
        ),
        "content": "The file itself, base64 encoded.",
        "document_id": (
            "The document's id in the council's document store (EDMS), when the content is held "
            "there."
        ),
        "received_date_time": "When the document was received.",
    },
    "lgstandards.models.ebenefits.NonDependantDeduction": {
        "person_ref": "The non-dependant's PersonId in the claim.",
        "amount": "The weekly deduction.",
    },
    "lgstandards.models.ebenefits.Award": {
        "weekly_entitlement": (
            "The benefit a week (for HB, not above the eligible rent, rule BEN-R020)."
        ),
        "eligible_rent": "The weekly eligible rent, for HB.",
        "applicable_amount": "The weekly applicable amount.",
        "assessed_weekly_income": "The household's assessed weekly income.",
        "tariff_income": "The weekly income assumed from capital.",
        "non_dependant_deduction": "A weekly deduction for a non-dependant.",
        "payee": "Who is paid.",
        "payment_frequency": "How often payments are made.",
        "first_payment_date": "When the first payment is made.",
    },
    "lgstandards.models.ebenefits.DecisionReason": {
        "code": "The reason code.",
        "text": "The reason in words.",
    },
    "lgstandards.models.ebenefits.Overpayment": {
        "period_from": "First day overpaid.",
        "period_to": "Last day overpaid (not before PeriodFrom, rule BEN-R021).",
        "amount": "The amount overpaid (above zero, rule BEN-R021).",
        "classification": "Whose error caused it.",
        "recoverable": "Whether it is recoverable.",
        "recovery_method": "How it is recovered.",
        "invoice_reference": (
            "The sundry debt (invoice) account reference, when recovered by invoice."
        ),
    },
    "lgstandards.models.ebenefits.BenefitClaim": {
        "schema_version": "The version of this schema the message follows, for example 1.0.",
        "header": "Message header (id, created, sending council).",
        "claim_details": "What is claimed, when and how.",
        "claimant": "The person claiming.",
        "partner": (
            "The claimant's partner, present if and only if the claimant lives with a partner (rule"
            " BEN-R005)."
        ),
        "dependants": "Children and young persons the claimant or partner is responsible for.",
        "non_dependants": (
            "Other adults who live in the home (grown-up children, relatives, friends)."
        ),
        "tenancy": (
            "The home: tenure, landlord and rent. Required in substance for HB (rule BEN-R012)."
        ),
        "incomes": "Income of every member of the household.",
        "capital": "Savings, investments and property of the claimant and partner.",
        "payment_details": "Where to pay Housing Benefit.",
        "evidence": "The evidence asked for and provided.",
        "risk_assessment": "The risk-based verification outcome, where the council uses RBV.",
        "declaration": "The claimant's declaration (rule BEN-R016).",
    },
    "lgstandards.models.ebenefits.ChangeOfCircumstances": {
        "schema_version": "The version of this schema the message follows, for example 1.0.",
        "header": "Message header.",
        "claim_reference": "The claim the changes are for.",
        "claimant": "Who reports the change, as e-change services authenticate the claimant.",
        "reported_date": "When the changes were reported (rule BEN-R017).",
        "change": "One change.",
        "evidence": "The evidence for the changes.",
        "declaration": "The claimant's declaration.",
    },
    "lgstandards.models.ebenefits.EvidenceSubmission": {
        "schema_version": "The version of this schema the message follows, for example 1.0.",
        "header": "Message header.",
        "claim_reference": "The claim the evidence is for.",
        "submission_id": "The e-claim submission the evidence belongs to, if any.",
        "channel": "How the documents were sent.",
        "document": "One document.",
    },
    "lgstandards.models.ebenefits.DecisionNotice": {
        "schema_version": "The version of this schema the message follows, for example 1.0.",
        "header": "Message header.",
        "claim_reference": "The claim decided.",
        "benefit_type": "The benefit decided: HB or CTR.",
        "ctr_scheme_id": "The local CTR scheme applied, for a CTR decision.",
        "decision_type": "The kind of decision.",
        "decision_date": "When the decision was made.",
        "date_of_claim": "The date of claim the decision applies to.",
        "backdated_from": (
            "The date the award is backdated to, when backdating was allowed (rule BEN-R019)."
        ),
        "effective_from": (
            "When the decision takes effect (not before the date of claim less any backdated "
            "period, rule BEN-R019)."
        ),
        "effective_to": "When the decision stops having effect, if it is for a fixed period.",
        "award": "The calculation and payment, for an award.",
        "reason": "The reasons for the decision.",
        "overpayment": "An overpayment the decision creates (rule BEN-R021).",
        "reconsideration_deadline": "The last day to ask for the decision to be looked at again.",
    },
    "lgstandards.models.ebenefits.ClaimStatusQuery": {
        "schema_version": "The version of this schema the message follows, for example 1.0.",
        "header": "Message header.",
        "claim_reference": "The claim asked about.",
        "national_insurance_number": "The claimant's National Insurance number.",
        "birth_date": "The claimant's date of birth.",
        "benefit_type": "Only this benefit, if given.",
    },
    "lgstandards.models.ebenefits.BulkClaims": {
        "schema_version": "The version of this schema the message follows, for example 1.0.",
        "header": "The file's header.",
        "batch_reference": "The sender's reference for the file.",
        "benefit_claim": "One claim.",
    },
    "lgstandards.models.transactions.TransactionLink": {
        "lgsl": "Service (LGSL code).",
        "lgil": "Interaction (LGIL code).",
        "url": "The council's page.",
        "name": "Customer-facing name.",
    },
    "lgstandards.models.transactions.CouncilTransactions": {
        "schema_version": "Schema version of the list, 1.0.",
        "council": "The council (ONS GSS code).",
        "council_name": "The council's name.",
        "published": "Date of the list (the LGSL version in force at this date applies).",
        "link": "Links, each (LGSL, LGIL) pair once (rule TX-R001).",
    },
    "lgstandards.models.govtalk.ResponseEndPoint": {
        "poll_interval": "Seconds to wait between polls.",
    },
    "lgstandards.models.govtalk.MessageDetails": {
        "class_": "Message class (rule COM-R001).",
        "qualifier": "request, acknowledgement, response, poll or error (rule COM-R002).",
        "function": "Function asked for.",
        "transaction_id": "Sender's transaction id.",
        "audit_id": "Audit id.",
        "correlation_id": "Set by the gateway on acknowledgement; echoed on poll.",
        "response_end_point": "Poll address.",
        "transformation": "Response form.",
        "gateway_test": "1 for a test message.",
        "gateway_timestamp": "Set by the gateway (rule COM-R005).",
    },
    "lgstandards.models.govtalk.Authentication": {
        "method": "Method.",
        "role": "Role.",
        "value": "Credential value.",
        "signature": "An XML signature.",
    },
    "lgstandards.models.govtalk.IDAuthentication": {
        "sender_id": "Sender id.",
        "authentication": "Credentials.",
    },
    "lgstandards.models.govtalk.SenderDetails": {
        "id_authentication": "Identity.",
        "x509_certificate": "Certificate.",
        "email_address": "E-mail address.",
    },
    "lgstandards.models.govtalk.Header": {
        "message_details": "Message details.",
        "sender_details": "Sender details.",
    },
    "lgstandards.models.govtalk.Key": {
        "type": "Key type (for example CouncilId).",
    },
    "lgstandards.models.govtalk.Keys": {
        "key": "A key.",
    },
    "lgstandards.models.govtalk.TargetDetails": {
        "organisation": "An organisation.",
    },
    "lgstandards.models.govtalk.GatewayValidation": {
        "processed": "yes or no.",
        "result": "pass or fail.",
    },
    "lgstandards.models.govtalk.Channel": {
        "uri": "Channel URI.",
        "name": "Channel name.",
        "product": "Product.",
        "version": "Product version.",
    },
    "lgstandards.models.govtalk.RoutingID": {
        "type": "Id type.",
    },
    "lgstandards.models.govtalk.ChannelRouting": {
        "channel": "Channel.",
        "id": "Ids.",
        "timestamp": "When.",
    },
    "lgstandards.models.govtalk.Error": {
        "raised_by": "Who raised it.",
        "number": "Error number.",
        "type": "Error class.",
        "text": "Message text.",
        "location": "Where (an XPath).",
    },
    "lgstandards.models.govtalk.GovTalkErrors": {
        "error": "An error.",
    },
    "lgstandards.models.govtalk.GovTalkDetails": {
        "keys": "Keys.",
        "target_details": "Targets.",
        "gateway_validation": "Gateway validation.",
        "channel_routing": "Routing.",
        "gov_talk_errors": "Errors.",
        "gateway_additions": "Gateway additions.",
    },
    "lgstandards.models.govtalk.GovTalkMessage": {
        "envelope_version": "Envelope version, 2.0.",
        "header": "Header.",
        "gov_talk_details": "GovTalk details.",
        "body": "Body.",
    },
}
