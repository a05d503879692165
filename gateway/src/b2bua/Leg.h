#pragma once
// One side of a call: a dialog of its own (Call-ID, tags, CSeq, Contact, route
// set) and the transactions in flight on it. Nothing in a Leg refers to the
// other leg: the Call carries offers, answers and hangups between them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "b2bua/SessionTimer.h"
#include "sip/dialog/DialogState.h"
#include "sip/txn/TransactionLayer.h"

namespace callgate::b2bua {

enum class LegRole : uint8_t {
  Inbound,   // the side that sent us the INVITE; we are its UAS
  Outbound,  // the side we sent the INVITE to; we are its UAC
};

enum class LegState : uint8_t { Idle, Trying, Early, Confirmed, Terminating, Terminated };

struct Leg {
  LegRole role = LegRole::Inbound;
  LegState state = LegState::Idle;
  sip::DialogState dialog;
  sip::TransportKind kind = sip::TransportKind::Udp;

  // Initial INVITE transactions.
  std::optional<sip::ServerTransactionId> inviteServer;  // inbound leg, until final response
  std::optional<sip::ClientTransactionId> inviteClient;  // outbound leg, until final response
  uint32_t inviteCseq = 0;                               // outbound: CSeq of the INVITE in flight

  // A re-INVITE or UPDATE received on this leg and waiting for the other side.
  std::optional<sip::ServerTransactionId> pendingServer;
  sip::Method pendingServerMethod = sip::Method::Unknown;
  // A re-INVITE or UPDATE we sent on this leg.
  std::optional<sip::ClientTransactionId> pendingClient;
  sip::Method pendingClientMethod = sip::Method::Unknown;
  bool pendingClientIsRefresh = false;  // a session refresh of our own, not relayed

  std::optional<sip::ClientTransactionId> byeClient;

  std::string localSdp;   // last body we sent on this leg (offer or answer)
  std::string remoteSdp;  // last body the peer sent us
  bool remoteAllowsUpdate = false;
  bool remoteSupportsTimer = false;

  SessionTimer timer;

  // Outbound leg: targets left to try when one fails (RFC 3263 order), and
  // digest credentials for 401/407 from the peer.
  std::vector<sip::OutboundTarget> fallbackTargets;
  int authAttempts = 0;
  std::optional<uint32_t> retryMinSe;  // from a 422 (RFC 4028 §6)
  std::optional<uint32_t> lastAck;     // CSeq number of the last 2xx we ACKed (outbound)
  bool ackPending = false;          // outbound: ACK waits for the caller's answer (delayed offer)
  uint32_t pendingCseq = 0;         // CSeq of the re-INVITE in pendingClient
  std::string authorizationHeader;  // "Authorization" | "Proxy-Authorization"
  std::string authorization;        // credentials for the next INVITE to the peer
};

}  // namespace callgate::b2bua
