import { graphql } from '../gql';

/** Every operation the portal sends, typed by GraphQL Code Generator from schema/supergraph.graphql. */

export const MeQuery = graphql(`
  query Me($id: ID!) {
    organisation(id: $id) {
      id
      name
      kind
      municipalityCode
    }
  }
`);

export const InboxQuery = graphql(`
  query Inbox($filter: ReferralFilter, $first: Int, $after: String) {
    inbox(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...ReferralRow
        }
      }
    }
  }
`);

export const CityReferralsQuery = graphql(`
  query CityReferrals($filter: ReferralFilter, $first: Int, $after: String) {
    cityReferrals(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...ReferralRow
        }
      }
    }
  }
`);

export const ReferralRowFragment = graphql(`
  fragment ReferralRow on Referral {
    id
    status
    needCategory
    sentAt
    slaDueAt
    overdue
    lastActivityAt
    personalData
    entrepreneur {
      kvkNumber
      businessName
    }
    city {
      id
      name
    }
    partner {
      id
      name
    }
  }
`);

export const ReferralQuery = graphql(`
  query Referral($id: ID!) {
    referral(id: $id) {
      id
      version
      status
      sentAt
      needCategory
      partnerKind
      journeyRootId
      personalData
      needDescription
      declineReason
      entrepreneur {
        kvkNumber
        businessName
        sbiCode
        sizeClass
      }
      contact {
        name
        email
        phone
      }
      consent {
        consentId
        subjectId
        purpose
        expiresAt
        anonymousStatistics
      }
      city {
        id
        name
        municipalityCode
      }
      partner {
        id
        name
        kind
      }
      service {
        id
        name
        slaWorkingDays
      }
      forwardedFrom {
        id
      }
      forwardedTo {
        id
      }
      informationExchanges {
        requestedAt
        question
        providedAt
        answer
      }
      outcomes {
        id
        code
        amountCents
        occurredAt
        recordedAt
        jobsRetained
        jobsCreated
        note
      }
    }
  }
`);

/** The inbox subgraph's view of a referral: asked apart so that a projection still catching up never hides the referral. */
export const ReferralTrackingQuery = graphql(`
  query ReferralTracking($id: ID!) {
    referral(id: $id) {
      id
      slaDueAt
      overdue
      lastActivityAt
      journey {
        referralId
        status
        sentAt
        partner {
          id
          name
        }
      }
    }
  }
`);

export const ReferralHistoryQuery = graphql(`
  query ReferralHistory($id: ID!) {
    referral(id: $id) {
      id
      history {
        sequence
        eventId
        type
        recordedAt
        occurredAt
        personalData
        actor {
          userId
          roles
          organisation {
            id
            name
          }
        }
        changes {
          field
          value
          personal
        }
      }
    }
  }
`);

export const ReferralAsOfQuery = graphql(`
  query ReferralAsOf($id: ID!, $at: DateTime!) {
    referralAsOf(id: $id, at: $at) {
      referralId
      at
      version
      eventsApplied
      status
      needCategory
      sentAt
      slaDueAt
      overdue
      firstResponseAt
      forwardedToReferralId
      city {
        id
        name
      }
      partner {
        id
        name
      }
      outcomes {
        code
        amountCents
        occurredAt
        recordedAt
      }
    }
  }
`);

export const VerifyLogQuery = graphql(`
  query VerifyLog {
    verifyLog {
      ok
      checkedEvents
      fromSequence
      toSequence
      firstBadSequence
      firstBadPosition
      problem
      headHash
      checkpointsVerified
    }
  }
`);

export const EventExportQuery = graphql(`
  query EventExport($from: DateTime, $to: DateTime, $format: ExportFormat) {
    eventExport(from: $from, to: $to, format: $format) {
      filename
      contentType
      rows
      content
    }
  }
`);

export const ServicesQuery = graphql(`
  query Services($needCategory: NeedCategory, $municipality: String) {
    services(needCategory: $needCategory, municipality: $municipality) {
      id
      name
      description
      slaWorkingDays
      eligibilityNotes
      needCategories
      organisation {
        id
        name
        kind
      }
    }
  }
`);

export const OutcomeStatisticsQuery = graphql(`
  query OutcomeStatistics {
    total: outcomeStatistics(groupBy: []) {
      ...StatisticsFigures
    }
    perMonth: outcomeStatistics(groupBy: [period], period: month) {
      period
      ...StatisticsFigures
    }
    perPartnerKind: outcomeStatistics(groupBy: [partner_kind]) {
      partnerKind
      ...StatisticsFigures
    }
  }
`);

export const StatisticsFiguresFragment = graphql(`
  fragment StatisticsFigures on StatisticsCell {
    suppressed
    entrepreneurs
    referralsMade
    accepted
    declined
    withdrawn
    forwarded
    completed
    acceptanceRate
    medianDaysToFirstResponse
    p90DaysToFirstResponse
    answeredWithinSlaShare
    financingMobilisedEuros
    subsidyMobilisedEuros
    jobsRetained
    jobsCreated
    outcomesByCode {
      code
      count
    }
  }
`);

export const MakeReferralMutation = graphql(`
  mutation MakeReferral($input: MakeReferralInput!) {
    makeReferral(input: $input) {
      referral {
        id
        status
      }
      warnings {
        code
        message
        referralIds
      }
    }
  }
`);

export const AcceptReferralMutation = graphql(`
  mutation AcceptReferral($input: ReferralActionInput!) {
    acceptReferral(input: $input) {
      referral {
        id
        version
        status
      }
    }
  }
`);

export const StartWorkMutation = graphql(`
  mutation StartWork($input: ReferralActionInput!) {
    startWork(input: $input) {
      referral {
        id
        version
        status
      }
    }
  }
`);

export const CloseReferralMutation = graphql(`
  mutation CloseReferral($input: ReferralActionInput!) {
    closeReferral(input: $input) {
      referral {
        id
        version
        status
      }
    }
  }
`);

export const DeclineReferralMutation = graphql(`
  mutation DeclineReferral($input: DeclineReferralInput!) {
    declineReferral(input: $input) {
      referral {
        id
        version
        status
        declineReason
      }
    }
  }
`);

export const RequestInformationMutation = graphql(`
  mutation RequestInformation($input: RequestInformationInput!) {
    requestInformation(input: $input) {
      referral {
        id
        version
        status
      }
    }
  }
`);

export const ProvideInformationMutation = graphql(`
  mutation ProvideInformation($input: ProvideInformationInput!) {
    provideInformation(input: $input) {
      referral {
        id
        version
        status
      }
    }
  }
`);

export const ForwardReferralMutation = graphql(`
  mutation ForwardReferral($input: ForwardReferralInput!) {
    forwardReferral(input: $input) {
      referral {
        id
        version
        status
      }
      forwardedToReferralId
    }
  }
`);

export const WithdrawReferralMutation = graphql(`
  mutation WithdrawReferral($input: WithdrawReferralInput!) {
    withdrawReferral(input: $input) {
      referral {
        id
        version
        status
      }
    }
  }
`);

export const RecordOutcomeMutation = graphql(`
  mutation RecordOutcome($input: RecordOutcomeInput!) {
    recordOutcome(input: $input) {
      referral {
        id
        version
        status
        outcomes {
          id
          code
          amountCents
        }
      }
    }
  }
`);

export const GiveConsentMutation = graphql(`
  mutation GiveConsent($input: GiveConsentInput!) {
    giveConsent(input: $input) {
      id
      consents {
        id
        valid
        partner {
          id
        }
      }
    }
  }
`);
