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
const std::vector<Field<MediaInterface>>& mediaInterfaceFields();
const std::vector<Field<Listener>>& listenerFields();
const std::vector<Field<Peer>>& peerFields();
const std::vector<Field<Route>>& routeFields();

}  // namespace callgate::config
