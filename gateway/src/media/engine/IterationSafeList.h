#pragma once
// A list of non-owning pointers that callbacks may add to or remove from while
// it is being walked: a removed item is not visited again, an added one is
// first visited on the next walk. Order is not kept.

#include <algorithm>
#include <cstddef>
#include <vector>

namespace callgate::media::engine {

template <typename T>
class IterationSafeList {
 public:
  void add(T& item) { items_.push_back(&item); }

  void remove(T& item) {
    const auto it = std::find(items_.begin(), items_.end(), &item);
    if (it == items_.end()) return;
    if (walking_ > 0) {
      *it = nullptr;  // compacted when the walk ends
      ++removed_;
      return;
    }
    *it = items_.back();
    items_.pop_back();
  }

  size_t size() const { return items_.size() - removed_; }
  bool empty() const { return size() == 0; }

  template <typename F>
  void forEach(F&& visit) {
    ++walking_;
    const size_t count = items_.size();
    for (size_t i = 0; i < count; ++i) {
      if (T* item = items_[i]) visit(*item);
    }
    if (--walking_ == 0 && removed_ > 0) {
      std::erase(items_, nullptr);
      removed_ = 0;
    }
  }

 private:
  std::vector<T*> items_;
  size_t removed_ = 0;
  int walking_ = 0;
};

}  // namespace callgate::media::engine
