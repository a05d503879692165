#pragma once
// One table of the fields of each configuration section, used by the JSON
// codec and the SQLite store alike, so a new setting is added in one place.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/Config.h"

namespace callgate::config {

template <typename T>
using FieldPtr = std::variant<std::string T::*, uint32_t T::*, int32_t T::*, bool T::*>;

template <typename T>
struct Field {
  std::string_view name;
  FieldPtr<T> member;
};

const std::vector<Field<SystemSettings>>& systemFields();
const std::vector<Field<SipSettings>>& sipFields();
const std::vector<Field<RegistrarSettings>>& registrarFields();
const std::vector<Field<TlsSettings>>& tlsFields();
const std::vector<Field<MediaSettings>>& mediaFields();
const std::vector<Field<ManagementSettings>>& managementFields();
const std::vector<Field<MediaInterface>>& mediaInterfaceFields();
const std::vector<Field<Listener>>& listenerFields();
const std::vector<Field<Peer>>& peerFields();
const std::vector<Field<Route>>& routeFields();
const std::vector<Field<CallmeSettings>>& callmeFields();
const std::vector<Field<Button>>& buttonFields();
const std::vector<Field<Webhook>>& webhookFields();

// The same tables by type, for code generic over sections and items.
inline const std::vector<Field<SystemSettings>>& fieldsOf(const SystemSettings*) {
  return systemFields();
}
inline const std::vector<Field<SipSettings>>& fieldsOf(const SipSettings*) {
  return sipFields();
}
inline const std::vector<Field<RegistrarSettings>>& fieldsOf(const RegistrarSettings*) {
  return registrarFields();
}
inline const std::vector<Field<TlsSettings>>& fieldsOf(const TlsSettings*) {
  return tlsFields();
}
inline const std::vector<Field<MediaSettings>>& fieldsOf(const MediaSettings*) {
  return mediaFields();
}
inline const std::vector<Field<ManagementSettings>>& fieldsOf(const ManagementSettings*) {
  return managementFields();
}
inline const std::vector<Field<MediaInterface>>& fieldsOf(const MediaInterface*) {
  return mediaInterfaceFields();
}
inline const std::vector<Field<Listener>>& fieldsOf(const Listener*) {
  return listenerFields();
}
inline const std::vector<Field<Peer>>& fieldsOf(const Peer*) {
  return peerFields();
}
inline const std::vector<Field<Route>>& fieldsOf(const Route*) {
  return routeFields();
}
inline const std::vector<Field<CallmeSettings>>& fieldsOf(const CallmeSettings*) {
  return callmeFields();
}
inline const std::vector<Field<Button>>& fieldsOf(const Button*) {
  return buttonFields();
}
inline const std::vector<Field<Webhook>>& fieldsOf(const Webhook*) {
  return webhookFields();
}

// Write-only fields (passwords, private keys): never shown by the management
// API, which prints kMaskedSecret in their place.
bool isSecretField(std::string_view name);
constexpr std::string_view kMaskedSecret = "********";

}  // namespace callgate::config
