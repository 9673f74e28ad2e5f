/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Me($id: ID!) {\n    organisation(id: $id) {\n      id\n      name\n      kind\n      municipalityCode\n    }\n  }\n": typeof types.MeDocument,
    "\n  query Inbox($filter: ReferralFilter, $first: Int, $after: String) {\n    inbox(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...ReferralRow\n        }\n      }\n    }\n  }\n": typeof types.InboxDocument,
    "\n  query CityReferrals($filter: ReferralFilter, $first: Int, $after: String) {\n    cityReferrals(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...ReferralRow\n        }\n      }\n    }\n  }\n": typeof types.CityReferralsDocument,
    "\n  fragment ReferralRow on Referral {\n    id\n    status\n    needCategory\n    sentAt\n    slaDueAt\n    overdue\n    lastActivityAt\n    personalData\n    entrepreneur {\n      kvkNumber\n      businessName\n    }\n    city {\n      id\n      name\n    }\n    partner {\n      id\n      name\n    }\n  }\n": typeof types.ReferralRowFragmentDoc,
    "\n  query Referral($id: ID!) {\n    referral(id: $id) {\n      id\n      version\n      status\n      sentAt\n      needCategory\n      partnerKind\n      journeyRootId\n      personalData\n      needDescription\n      declineReason\n      entrepreneur {\n        kvkNumber\n        businessName\n        sbiCode\n        sizeClass\n      }\n      contact {\n        name\n        email\n        phone\n      }\n      consent {\n        consentId\n        subjectId\n        purpose\n        expiresAt\n        anonymousStatistics\n      }\n      city {\n        id\n        name\n        municipalityCode\n      }\n      partner {\n        id\n        name\n        kind\n      }\n      service {\n        id\n        name\n        slaWorkingDays\n      }\n      forwardedFrom {\n        id\n      }\n      forwardedTo {\n        id\n      }\n      informationExchanges {\n        requestedAt\n        question\n        providedAt\n        answer\n      }\n      outcomes {\n        id\n        code\n        amountCents\n        occurredAt\n        recordedAt\n        jobsRetained\n        jobsCreated\n        note\n      }\n    }\n  }\n": typeof types.ReferralDocument,
    "\n  query ReferralTracking($id: ID!) {\n    referral(id: $id) {\n      id\n      slaDueAt\n      overdue\n      lastActivityAt\n      journey {\n        referralId\n        status\n        sentAt\n        partner {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.ReferralTrackingDocument,
    "\n  query ReferralHistory($id: ID!) {\n    referral(id: $id) {\n      id\n      history {\n        sequence\n        eventId\n        type\n        recordedAt\n        occurredAt\n        personalData\n        actor {\n          userId\n          roles\n          organisation {\n            id\n            name\n          }\n        }\n        changes {\n          field\n          value\n          personal\n        }\n      }\n    }\n  }\n": typeof types.ReferralHistoryDocument,
    "\n  query ReferralAsOf($id: ID!, $at: DateTime!) {\n    referralAsOf(id: $id, at: $at) {\n      referralId\n      at\n      version\n      eventsApplied\n      status\n      needCategory\n      sentAt\n      slaDueAt\n      overdue\n      firstResponseAt\n      forwardedToReferralId\n      city {\n        id\n        name\n      }\n      partner {\n        id\n        name\n      }\n      outcomes {\n        code\n        amountCents\n        occurredAt\n        recordedAt\n      }\n    }\n  }\n": typeof types.ReferralAsOfDocument,
    "\n  query VerifyLog {\n    verifyLog {\n      ok\n      checkedEvents\n      fromSequence\n      toSequence\n      firstBadSequence\n      firstBadPosition\n      problem\n      headHash\n      checkpointsVerified\n    }\n  }\n": typeof types.VerifyLogDocument,
    "\n  query EventExport($from: DateTime, $to: DateTime, $format: ExportFormat) {\n    eventExport(from: $from, to: $to, format: $format) {\n      filename\n      contentType\n      rows\n      content\n    }\n  }\n": typeof types.EventExportDocument,
    "\n  query Services($needCategory: NeedCategory, $municipality: String) {\n    services(needCategory: $needCategory, municipality: $municipality) {\n      id\n      name\n      description\n      slaWorkingDays\n      eligibilityNotes\n      needCategories\n      organisation {\n        id\n        name\n        kind\n      }\n    }\n  }\n": typeof types.ServicesDocument,
    "\n  query OutcomeStatistics {\n    total: outcomeStatistics(groupBy: []) {\n      ...StatisticsFigures\n    }\n    perMonth: outcomeStatistics(groupBy: [period], period: month) {\n      period\n      ...StatisticsFigures\n    }\n    perPartnerKind: outcomeStatistics(groupBy: [partner_kind]) {\n      partnerKind\n      ...StatisticsFigures\n    }\n  }\n": typeof types.OutcomeStatisticsDocument,
    "\n  fragment StatisticsFigures on StatisticsCell {\n    suppressed\n    entrepreneurs\n    referralsMade\n    accepted\n    declined\n    withdrawn\n    forwarded\n    completed\n    acceptanceRate\n    medianDaysToFirstResponse\n    p90DaysToFirstResponse\n    answeredWithinSlaShare\n    financingMobilisedEuros\n    subsidyMobilisedEuros\n    jobsRetained\n    jobsCreated\n    outcomesByCode {\n      code\n      count\n    }\n  }\n": typeof types.StatisticsFiguresFragmentDoc,
    "\n  mutation MakeReferral($input: MakeReferralInput!) {\n    makeReferral(input: $input) {\n      referral {\n        id\n        status\n      }\n      warnings {\n        code\n        message\n        referralIds\n      }\n    }\n  }\n": typeof types.MakeReferralDocument,
    "\n  mutation AcceptReferral($input: ReferralActionInput!) {\n    acceptReferral(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n    }\n  }\n": typeof types.AcceptReferralDocument,
    "\n  mutation StartWork($input: ReferralActionInput!) {\n    startWork(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n    }\n  }\n": typeof types.StartWorkDocument,
    "\n  mutation CloseReferral($input: ReferralActionInput!) {\n    closeReferral(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n    }\n  }\n": typeof types.CloseReferralDocument,
    "\n  mutation DeclineReferral($input: DeclineReferralInput!) {\n    declineReferral(input: $input) {\n      referral {\n        id\n        version\n        status\n        declineReason\n      }\n    }\n  }\n": typeof types.DeclineReferralDocument,
    "\n  mutation RequestInformation($input: RequestInformationInput!) {\n    requestInformation(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n    }\n  }\n": typeof types.RequestInformationDocument,
    "\n  mutation ProvideInformation($input: ProvideInformationInput!) {\n    provideInformation(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n    }\n  }\n": typeof types.ProvideInformationDocument,
    "\n  mutation ForwardReferral($input: ForwardReferralInput!) {\n    forwardReferral(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n      forwardedToReferralId\n    }\n  }\n": typeof types.ForwardReferralDocument,
    "\n  mutation WithdrawReferral($input: WithdrawReferralInput!) {\n    withdrawReferral(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n    }\n  }\n": typeof types.WithdrawReferralDocument,
    "\n  mutation RecordOutcome($input: RecordOutcomeInput!) {\n    recordOutcome(input: $input) {\n      referral {\n        id\n        version\n        status\n        outcomes {\n          id\n          code\n          amountCents\n        }\n      }\n    }\n  }\n": typeof types.RecordOutcomeDocument,
    "\n  mutation GiveConsent($input: GiveConsentInput!) {\n    giveConsent(input: $input) {\n      id\n      consents {\n        id\n        valid\n        partner {\n          id\n        }\n      }\n    }\n  }\n": typeof types.GiveConsentDocument,
};
const documents: Documents = {
    "\n  query Me($id: ID!) {\n    organisation(id: $id) {\n      id\n      name\n      kind\n      municipalityCode\n    }\n  }\n": types.MeDocument,
    "\n  query Inbox($filter: ReferralFilter, $first: Int, $after: String) {\n    inbox(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...ReferralRow\n        }\n      }\n    }\n  }\n": types.InboxDocument,
    "\n  query CityReferrals($filter: ReferralFilter, $first: Int, $after: String) {\n    cityReferrals(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...ReferralRow\n        }\n      }\n    }\n  }\n": types.CityReferralsDocument,
    "\n  fragment ReferralRow on Referral {\n    id\n    status\n    needCategory\n    sentAt\n    slaDueAt\n    overdue\n    lastActivityAt\n    personalData\n    entrepreneur {\n      kvkNumber\n      businessName\n    }\n    city {\n      id\n      name\n    }\n    partner {\n      id\n      name\n    }\n  }\n": types.ReferralRowFragmentDoc,
    "\n  query Referral($id: ID!) {\n    referral(id: $id) {\n      id\n      version\n      status\n      sentAt\n      needCategory\n      partnerKind\n      journeyRootId\n      personalData\n      needDescription\n      declineReason\n      entrepreneur {\n        kvkNumber\n        businessName\n        sbiCode\n        sizeClass\n      }\n      contact {\n        name\n        email\n        phone\n      }\n      consent {\n        consentId\n        subjectId\n        purpose\n        expiresAt\n        anonymousStatistics\n      }\n      city {\n        id\n        name\n        municipalityCode\n      }\n      partner {\n        id\n        name\n        kind\n      }\n      service {\n        id\n        name\n        slaWorkingDays\n      }\n      forwardedFrom {\n        id\n      }\n      forwardedTo {\n        id\n      }\n      informationExchanges {\n        requestedAt\n        question\n        providedAt\n        answer\n      }\n      outcomes {\n        id\n        code\n        amountCents\n        occurredAt\n        recordedAt\n        jobsRetained\n        jobsCreated\n        note\n      }\n    }\n  }\n": types.ReferralDocument,
    "\n  query ReferralTracking($id: ID!) {\n    referral(id: $id) {\n      id\n      slaDueAt\n      overdue\n      lastActivityAt\n      journey {\n        referralId\n        status\n        sentAt\n        partner {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.ReferralTrackingDocument,
    "\n  query ReferralHistory($id: ID!) {\n    referral(id: $id) {\n      id\n      history {\n        sequence\n        eventId\n        type\n        recordedAt\n        occurredAt\n        personalData\n        actor {\n          userId\n          roles\n          organisation {\n            id\n            name\n          }\n        }\n        changes {\n          field\n          value\n          personal\n        }\n      }\n    }\n  }\n": types.ReferralHistoryDocument,
    "\n  query ReferralAsOf($id: ID!, $at: DateTime!) {\n    referralAsOf(id: $id, at: $at) {\n      referralId\n      at\n      version\n      eventsApplied\n      status\n      needCategory\n      sentAt\n      slaDueAt\n      overdue\n      firstResponseAt\n      forwardedToReferralId\n      city {\n        id\n        name\n      }\n      partner {\n        id\n        name\n      }\n      outcomes {\n        code\n        amountCents\n        occurredAt\n        recordedAt\n      }\n    }\n  }\n": types.ReferralAsOfDocument,
    "\n  query VerifyLog {\n    verifyLog {\n      ok\n      checkedEvents\n      fromSequence\n      toSequence\n      firstBadSequence\n      firstBadPosition\n      problem\n      headHash\n      checkpointsVerified\n    }\n  }\n": types.VerifyLogDocument,
    "\n  query EventExport($from: DateTime, $to: DateTime, $format: ExportFormat) {\n    eventExport(from: $from, to: $to, format: $format) {\n      filename\n      contentType\n      rows\n      content\n    }\n  }\n": types.EventExportDocument,
    "\n  query Services($needCategory: NeedCategory, $municipality: String) {\n    services(needCategory: $needCategory, municipality: $municipality) {\n      id\n      name\n      description\n      slaWorkingDays\n      eligibilityNotes\n      needCategories\n      organisation {\n        id\n        name\n        kind\n      }\n    }\n  }\n": types.ServicesDocument,
    "\n  query OutcomeStatistics {\n    total: outcomeStatistics(groupBy: []) {\n      ...StatisticsFigures\n    }\n    perMonth: outcomeStatistics(groupBy: [period], period: month) {\n      period\n      ...StatisticsFigures\n    }\n    perPartnerKind: outcomeStatistics(groupBy: [partner_kind]) {\n      partnerKind\n      ...StatisticsFigures\n    }\n  }\n": types.OutcomeStatisticsDocument,
    "\n  fragment StatisticsFigures on StatisticsCell {\n    suppressed\n    entrepreneurs\n    referralsMade\n    accepted\n    declined\n    withdrawn\n    forwarded\n    completed\n    acceptanceRate\n    medianDaysToFirstResponse\n    p90DaysToFirstResponse\n    answeredWithinSlaShare\n    financingMobilisedEuros\n    subsidyMobilisedEuros\n    jobsRetained\n    jobsCreated\n    outcomesByCode {\n      code\n      count\n    }\n  }\n": types.StatisticsFiguresFragmentDoc,
    "\n  mutation MakeReferral($input: MakeReferralInput!) {\n    makeReferral(input: $input) {\n      referral {\n        id\n        status\n      }\n      warnings {\n        code\n        message\n        referralIds\n      }\n    }\n  }\n": types.MakeReferralDocument,
    "\n  mutation AcceptReferral($input: ReferralActionInput!) {\n    acceptReferral(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n    }\n  }\n": types.AcceptReferralDocument,
    "\n  mutation StartWork($input: ReferralActionInput!) {\n    startWork(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n    }\n  }\n": types.StartWorkDocument,
    "\n  mutation CloseReferral($input: ReferralActionInput!) {\n    closeReferral(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n    }\n  }\n": types.CloseReferralDocument,
    "\n  mutation DeclineReferral($input: DeclineReferralInput!) {\n    declineReferral(input: $input) {\n      referral {\n        id\n        version\n        status\n        declineReason\n      }\n    }\n  }\n": types.DeclineReferralDocument,
    "\n  mutation RequestInformation($input: RequestInformationInput!) {\n    requestInformation(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n    }\n  }\n": types.RequestInformationDocument,
    "\n  mutation ProvideInformation($input: ProvideInformationInput!) {\n    provideInformation(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n    }\n  }\n": types.ProvideInformationDocument,
    "\n  mutation ForwardReferral($input: ForwardReferralInput!) {\n    forwardReferral(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n      forwardedToReferralId\n    }\n  }\n": types.ForwardReferralDocument,
    "\n  mutation WithdrawReferral($input: WithdrawReferralInput!) {\n    withdrawReferral(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n    }\n  }\n": types.WithdrawReferralDocument,
    "\n  mutation RecordOutcome($input: RecordOutcomeInput!) {\n    recordOutcome(input: $input) {\n      referral {\n        id\n        version\n        status\n        outcomes {\n          id\n          code\n          amountCents\n        }\n      }\n    }\n  }\n": types.RecordOutcomeDocument,
    "\n  mutation GiveConsent($input: GiveConsentInput!) {\n    giveConsent(input: $input) {\n      id\n      consents {\n        id\n        valid\n        partner {\n          id\n        }\n      }\n    }\n  }\n": types.GiveConsentDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me($id: ID!) {\n    organisation(id: $id) {\n      id\n      name\n      kind\n      municipalityCode\n    }\n  }\n"): (typeof documents)["\n  query Me($id: ID!) {\n    organisation(id: $id) {\n      id\n      name\n      kind\n      municipalityCode\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Inbox($filter: ReferralFilter, $first: Int, $after: String) {\n    inbox(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...ReferralRow\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Inbox($filter: ReferralFilter, $first: Int, $after: String) {\n    inbox(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...ReferralRow\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CityReferrals($filter: ReferralFilter, $first: Int, $after: String) {\n    cityReferrals(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...ReferralRow\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query CityReferrals($filter: ReferralFilter, $first: Int, $after: String) {\n    cityReferrals(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...ReferralRow\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ReferralRow on Referral {\n    id\n    status\n    needCategory\n    sentAt\n    slaDueAt\n    overdue\n    lastActivityAt\n    personalData\n    entrepreneur {\n      kvkNumber\n      businessName\n    }\n    city {\n      id\n      name\n    }\n    partner {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment ReferralRow on Referral {\n    id\n    status\n    needCategory\n    sentAt\n    slaDueAt\n    overdue\n    lastActivityAt\n    personalData\n    entrepreneur {\n      kvkNumber\n      businessName\n    }\n    city {\n      id\n      name\n    }\n    partner {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Referral($id: ID!) {\n    referral(id: $id) {\n      id\n      version\n      status\n      sentAt\n      needCategory\n      partnerKind\n      journeyRootId\n      personalData\n      needDescription\n      declineReason\n      entrepreneur {\n        kvkNumber\n        businessName\n        sbiCode\n        sizeClass\n      }\n      contact {\n        name\n        email\n        phone\n      }\n      consent {\n        consentId\n        subjectId\n        purpose\n        expiresAt\n        anonymousStatistics\n      }\n      city {\n        id\n        name\n        municipalityCode\n      }\n      partner {\n        id\n        name\n        kind\n      }\n      service {\n        id\n        name\n        slaWorkingDays\n      }\n      forwardedFrom {\n        id\n      }\n      forwardedTo {\n        id\n      }\n      informationExchanges {\n        requestedAt\n        question\n        providedAt\n        answer\n      }\n      outcomes {\n        id\n        code\n        amountCents\n        occurredAt\n        recordedAt\n        jobsRetained\n        jobsCreated\n        note\n      }\n    }\n  }\n"): (typeof documents)["\n  query Referral($id: ID!) {\n    referral(id: $id) {\n      id\n      version\n      status\n      sentAt\n      needCategory\n      partnerKind\n      journeyRootId\n      personalData\n      needDescription\n      declineReason\n      entrepreneur {\n        kvkNumber\n        businessName\n        sbiCode\n        sizeClass\n      }\n      contact {\n        name\n        email\n        phone\n      }\n      consent {\n        consentId\n        subjectId\n        purpose\n        expiresAt\n        anonymousStatistics\n      }\n      city {\n        id\n        name\n        municipalityCode\n      }\n      partner {\n        id\n        name\n        kind\n      }\n      service {\n        id\n        name\n        slaWorkingDays\n      }\n      forwardedFrom {\n        id\n      }\n      forwardedTo {\n        id\n      }\n      informationExchanges {\n        requestedAt\n        question\n        providedAt\n        answer\n      }\n      outcomes {\n        id\n        code\n        amountCents\n        occurredAt\n        recordedAt\n        jobsRetained\n        jobsCreated\n        note\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReferralTracking($id: ID!) {\n    referral(id: $id) {\n      id\n      slaDueAt\n      overdue\n      lastActivityAt\n      journey {\n        referralId\n        status\n        sentAt\n        partner {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ReferralTracking($id: ID!) {\n    referral(id: $id) {\n      id\n      slaDueAt\n      overdue\n      lastActivityAt\n      journey {\n        referralId\n        status\n        sentAt\n        partner {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReferralHistory($id: ID!) {\n    referral(id: $id) {\n      id\n      history {\n        sequence\n        eventId\n        type\n        recordedAt\n        occurredAt\n        personalData\n        actor {\n          userId\n          roles\n          organisation {\n            id\n            name\n          }\n        }\n        changes {\n          field\n          value\n          personal\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ReferralHistory($id: ID!) {\n    referral(id: $id) {\n      id\n      history {\n        sequence\n        eventId\n        type\n        recordedAt\n        occurredAt\n        personalData\n        actor {\n          userId\n          roles\n          organisation {\n            id\n            name\n          }\n        }\n        changes {\n          field\n          value\n          personal\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReferralAsOf($id: ID!, $at: DateTime!) {\n    referralAsOf(id: $id, at: $at) {\n      referralId\n      at\n      version\n      eventsApplied\n      status\n      needCategory\n      sentAt\n      slaDueAt\n      overdue\n      firstResponseAt\n      forwardedToReferralId\n      city {\n        id\n        name\n      }\n      partner {\n        id\n        name\n      }\n      outcomes {\n        code\n        amountCents\n        occurredAt\n        recordedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query ReferralAsOf($id: ID!, $at: DateTime!) {\n    referralAsOf(id: $id, at: $at) {\n      referralId\n      at\n      version\n      eventsApplied\n      status\n      needCategory\n      sentAt\n      slaDueAt\n      overdue\n      firstResponseAt\n      forwardedToReferralId\n      city {\n        id\n        name\n      }\n      partner {\n        id\n        name\n      }\n      outcomes {\n        code\n        amountCents\n        occurredAt\n        recordedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VerifyLog {\n    verifyLog {\n      ok\n      checkedEvents\n      fromSequence\n      toSequence\n      firstBadSequence\n      firstBadPosition\n      problem\n      headHash\n      checkpointsVerified\n    }\n  }\n"): (typeof documents)["\n  query VerifyLog {\n    verifyLog {\n      ok\n      checkedEvents\n      fromSequence\n      toSequence\n      firstBadSequence\n      firstBadPosition\n      problem\n      headHash\n      checkpointsVerified\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EventExport($from: DateTime, $to: DateTime, $format: ExportFormat) {\n    eventExport(from: $from, to: $to, format: $format) {\n      filename\n      contentType\n      rows\n      content\n    }\n  }\n"): (typeof documents)["\n  query EventExport($from: DateTime, $to: DateTime, $format: ExportFormat) {\n    eventExport(from: $from, to: $to, format: $format) {\n      filename\n      contentType\n      rows\n      content\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Services($needCategory: NeedCategory, $municipality: String) {\n    services(needCategory: $needCategory, municipality: $municipality) {\n      id\n      name\n      description\n      slaWorkingDays\n      eligibilityNotes\n      needCategories\n      organisation {\n        id\n        name\n        kind\n      }\n    }\n  }\n"): (typeof documents)["\n  query Services($needCategory: NeedCategory, $municipality: String) {\n    services(needCategory: $needCategory, municipality: $municipality) {\n      id\n      name\n      description\n      slaWorkingDays\n      eligibilityNotes\n      needCategories\n      organisation {\n        id\n        name\n        kind\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OutcomeStatistics {\n    total: outcomeStatistics(groupBy: []) {\n      ...StatisticsFigures\n    }\n    perMonth: outcomeStatistics(groupBy: [period], period: month) {\n      period\n      ...StatisticsFigures\n    }\n    perPartnerKind: outcomeStatistics(groupBy: [partner_kind]) {\n      partnerKind\n      ...StatisticsFigures\n    }\n  }\n"): (typeof documents)["\n  query OutcomeStatistics {\n    total: outcomeStatistics(groupBy: []) {\n      ...StatisticsFigures\n    }\n    perMonth: outcomeStatistics(groupBy: [period], period: month) {\n      period\n      ...StatisticsFigures\n    }\n    perPartnerKind: outcomeStatistics(groupBy: [partner_kind]) {\n      partnerKind\n      ...StatisticsFigures\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment StatisticsFigures on StatisticsCell {\n    suppressed\n    entrepreneurs\n    referralsMade\n    accepted\n    declined\n    withdrawn\n    forwarded\n    completed\n    acceptanceRate\n    medianDaysToFirstResponse\n    p90DaysToFirstResponse\n    answeredWithinSlaShare\n    financingMobilisedEuros\n    subsidyMobilisedEuros\n    jobsRetained\n    jobsCreated\n    outcomesByCode {\n      code\n      count\n    }\n  }\n"): (typeof documents)["\n  fragment StatisticsFigures on StatisticsCell {\n    suppressed\n    entrepreneurs\n    referralsMade\n    accepted\n    declined\n    withdrawn\n    forwarded\n    completed\n    acceptanceRate\n    medianDaysToFirstResponse\n    p90DaysToFirstResponse\n    answeredWithinSlaShare\n    financingMobilisedEuros\n    subsidyMobilisedEuros\n    jobsRetained\n    jobsCreated\n    outcomesByCode {\n      code\n      count\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MakeReferral($input: MakeReferralInput!) {\n    makeReferral(input: $input) {\n      referral {\n        id\n        status\n      }\n      warnings {\n        code\n        message\n        referralIds\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation MakeReferral($input: MakeReferralInput!) {\n    makeReferral(input: $input) {\n      referral {\n        id\n        status\n      }\n      warnings {\n        code\n        message\n        referralIds\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptReferral($input: ReferralActionInput!) {\n    acceptReferral(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AcceptReferral($input: ReferralActionInput!) {\n    acceptReferral(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartWork($input: ReferralActionInput!) {\n    startWork(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation StartWork($input: ReferralActionInput!) {\n    startWork(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CloseReferral($input: ReferralActionInput!) {\n    closeReferral(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CloseReferral($input: ReferralActionInput!) {\n    closeReferral(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeclineReferral($input: DeclineReferralInput!) {\n    declineReferral(input: $input) {\n      referral {\n        id\n        version\n        status\n        declineReason\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation DeclineReferral($input: DeclineReferralInput!) {\n    declineReferral(input: $input) {\n      referral {\n        id\n        version\n        status\n        declineReason\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestInformation($input: RequestInformationInput!) {\n    requestInformation(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RequestInformation($input: RequestInformationInput!) {\n    requestInformation(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ProvideInformation($input: ProvideInformationInput!) {\n    provideInformation(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ProvideInformation($input: ProvideInformationInput!) {\n    provideInformation(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ForwardReferral($input: ForwardReferralInput!) {\n    forwardReferral(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n      forwardedToReferralId\n    }\n  }\n"): (typeof documents)["\n  mutation ForwardReferral($input: ForwardReferralInput!) {\n    forwardReferral(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n      forwardedToReferralId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WithdrawReferral($input: WithdrawReferralInput!) {\n    withdrawReferral(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation WithdrawReferral($input: WithdrawReferralInput!) {\n    withdrawReferral(input: $input) {\n      referral {\n        id\n        version\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RecordOutcome($input: RecordOutcomeInput!) {\n    recordOutcome(input: $input) {\n      referral {\n        id\n        version\n        status\n        outcomes {\n          id\n          code\n          amountCents\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RecordOutcome($input: RecordOutcomeInput!) {\n    recordOutcome(input: $input) {\n      referral {\n        id\n        version\n        status\n        outcomes {\n          id\n          code\n          amountCents\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GiveConsent($input: GiveConsentInput!) {\n    giveConsent(input: $input) {\n      id\n      consents {\n        id\n        valid\n        partner {\n          id\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation GiveConsent($input: GiveConsentInput!) {\n    giveConsent(input: $input) {\n      id\n      consents {\n        id\n        valid\n        partner {\n          id\n        }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;